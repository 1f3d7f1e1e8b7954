/**
 * A real, throw-away PostgreSQL server for tests: initdb into a temp dir, listen only on a unix
 * socket there, fsync off. As root it runs as the `postgres` system user (PostgreSQL refuses root).
 */
import type { ChildProcess } from 'node:child_process';
import { execProgramSync, findProgram, spawnProgram, type FindOptions } from '@fernhilfe/programs';
import { chownSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makeTempDir, removeDir } from '@fernhilfe/testkit';

export const NOT_INSTALLED_MESSAGE =
  'PostgreSQL is not installed: run `npm test` (it installs postgresql) or apt-get install postgresql';

export interface PostgresServer {
  /** e.g. postgres://postgres@/fernhilfe_test?host=/tmp/fernhilfe-pg-XXXX */
  url: string;
  socketDir: string;
  /** A fresh, empty database on this server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The directory with initdb and postgres (newest version first); throws NOT_INSTALLED_MESSAGE. */
export function findPostgresBinDir(opts: FindOptions = {}): string {
  const found = findProgram('initdb', opts);
  // the real folder: a machine may link initdb into /usr/local/bin without the rest beside it
  const initdb = found && realpathSync(found);
  if (!initdb || !findProgram('postgres', { ...opts, path: path.dirname(initdb), dirs: [] })) throw new Error(NOT_INSTALLED_MESSAGE);
  return path.dirname(initdb);
}

export async function startPostgres(opts: { database?: string } = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const socketDir = makeTempDir('pg');
  const dataDir = path.join(socketDir, 'data');
  const owner = runAs();
  if (owner) chownSync(socketDir, owner.uid, owner.gid);

  execProgramSync(
    { file: path.join(binDir, 'initdb') },
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'],
    { ...owner, stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() },
  );
  const settings = ['listen_addresses=', `unix_socket_directories=${socketDir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const child = spawnProgram({ file: path.join(binDir, 'postgres') }, ['-D', dataDir, ...settings.flatMap((s) => ['-c', s])], {
    ...owner,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv(),
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const adminUrl = socketUrl('postgres', socketDir);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    removeDir(socketDir);
  };
  try {
    await waitUntilReady(adminUrl, child, stderr);
  } catch (error) {
    await stop();
    throw error;
  }

  const createDatabase = async (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    return socketUrl(name, socketDir);
  };
  const url = await createDatabase(opts.database ?? 'fernhilfe_test');
  const server: PostgresServer = { url, socketDir, createDatabase, stop };
  const asyncDispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (asyncDispose) Object.defineProperty(server, asyncDispose, { value: stop });
  return server;
}

function socketUrl(database: string, socketDir: string): string {
  return `postgres://postgres@/${database}?host=${encodeURIComponent(socketDir)}`;
}

/** uid/gid of the postgres system user when we are root; undefined otherwise (run as ourselves). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execProgramSync('id', ['-u', 'postgres']).trim());
    const gid = Number(execProgramSync('id', ['-g', 'postgres']).trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root but there is no `postgres` system user to run PostgreSQL as. ' + NOT_INSTALLED_MESSAGE);
  }
}

function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}:\n${stderr.join('')}`);
    try {
      await withClient(url, (client) => client.query('select 1'));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s:\n${stderr.join('')}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** SIGINT is PostgreSQL's "fast shutdown": it disconnects clients instead of waiting for them. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** createDatabase() options for a fresh, empty database. */
  freshDatabase(): Promise<{ databaseUrl?: string; dataDir: string }>;
  /** Stops the server (if one was started) and removes every temp dir. */
  dispose(): Promise<void>;
}

/**
 * Both storage backends, for `describe.each`; PostgreSQL starts on first use, once per test file.
 * `npm run test:unit` (no database server) takes SQLite only; `npm test` always both.
 */
export function testBackends(): TestBackend[] {
  return process.env.FERNHILFE_TEST_SCOPE === 'unit' ? [sqliteBackend()] : [sqliteBackend(), postgresBackend()];
}

function sqliteBackend(): TestBackend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    freshDatabase: () => {
      const dataDir = makeTempDir('sqlite');
      dirs.push(dataDir);
      return Promise.resolve({ dataDir });
    },
    dispose: () => {
      for (const dir of dirs) removeDir(dir);
      return Promise.resolve();
    },
  };
}

function postgresBackend(): TestBackend {
  let server: Promise<PostgresServer> | undefined;
  let count = 0;
  const dataDir = path.join(tmpdir(), 'fernhilfe-unused-data-dir');
  return {
    name: 'postgres',
    freshDatabase: async () => {
      server ??= startPostgres();
      count += 1;
      return { databaseUrl: await (await server).createDatabase(`t${count}`), dataDir };
    },
    dispose: async () => {
      if (server) await (await server).stop();
    },
  };
}
