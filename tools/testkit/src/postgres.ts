/**
 * A real, throw-away PostgreSQL server for tests and benches: initdb into a temp dir, listen only on a unix
 * socket there, fsync off. As root it runs as the `postgres` system user (PostgreSQL refuses root).
 */
import type { ChildProcess } from 'node:child_process';
import { execProgramSync, findProgram, spawnProgram, type FindOptions } from '@fernhilfe/programs';
import { chownSync, realpathSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stopChild } from './child.js';
import { TestkitError } from './errors.js';
import { makeTempDir, removeDir } from './temp-dir.js';

export const NOT_INSTALLED_MESSAGE =
  'PostgreSQL is not installed: run `npm test` (it installs postgresql) or apt-get install postgresql';

export interface PostgresServer {
  /** e.g. postgres://postgres@/fernhilfe_test?host=/tmp/fernhilfe-pg-XXXX */
  url: string;
  socketDir: string;
  /** the postmaster process, for a bench to sample */
  pid: number;
  /** A fresh, empty database on this server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The directory with initdb and postgres (newest version first); throws NOT_INSTALLED_MESSAGE. */
export function findPostgresBinDir(opts: FindOptions = {}): string {
  const found = findProgram('initdb', opts);
  // the real folder: a machine may link initdb into /usr/local/bin without the rest beside it
  const initdb = found && realpathSync(found);
  if (!initdb || !findProgram('postgres', { ...opts, path: path.dirname(initdb), dirs: [] })) throw new TestkitError('process', NOT_INSTALLED_MESSAGE);
  return path.dirname(initdb);
}

export interface PostgresOptions {
  /** the first database, created empty (default fernhilfe_test) */
  database?: string;
  /** more `-c name=value` settings, e.g. `max_connections=200` */
  settings?: string[];
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresServer> {
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
  const settings = ['listen_addresses=', `unix_socket_directories=${socketDir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', ...(opts.settings ?? [])];
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
    // SIGINT is PostgreSQL's "fast shutdown": it disconnects clients instead of waiting for them
    await stopChild(child, { signal: 'SIGINT', graceMs: 10_000 });
    removeDir(socketDir);
  };
  try {
    await waitUntilReady(adminUrl, child, stderr);
  } catch (error) {
    await stop();
    throw error;
  }

  const createDatabase = async (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TestkitError('process', `Not a plain database name: ${name}`);
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    return socketUrl(name, socketDir);
  };
  const url = await createDatabase(opts.database ?? 'fernhilfe_test');
  const server: PostgresServer = { url, socketDir, pid: child.pid!, createDatabase, stop };
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
    throw new TestkitError('process', 'Running as root but there is no `postgres` system user to run PostgreSQL as. ' + NOT_INSTALLED_MESSAGE);
  }
}

function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new TestkitError('process', `postgres exited with code ${child.exitCode}:\n${stderr.join('')}`);
    try {
      await withClient(url, (client) => client.query('select 1'));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new TestkitError('process', `postgres did not accept connections within 30 s:\n${stderr.join('')}`, { cause: error });
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
