import type { ChildProcess } from 'node:child_process';
import { execProgramSync, programPath, spawnProgram } from '@fernhilfe/programs';
import { chownSync, realpathSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort, stopChild, makeTempDir, removeDir } from '@fernhilfe/testkit';
import { BenchError } from '../errors.js';

/**
 * The shared services a multi-node benchmark needs, started for the run and removed afterwards:
 * a redis-server on a free loopback port and a PostgreSQL on a unix socket in a temp directory
 * (both Debian packages; `npm test` installs them). Each knows its pid, so the bench can sample it.
 */
export interface Service {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function until(what: string, ms: number, ready: () => Promise<boolean>, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (child.exitCode !== null) throw new BenchError('process', `${what} exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new BenchError('timeout', `${what} was not ready within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function killOnExit(child: ChildProcess): () => void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

export async function startRedisService(): Promise<Service> {
  const port = await freePort();
  const dir = makeTempDir('bench-redis');
  const child = spawnProgram('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--client-output-buffer-limit', 'pubsub 256mb 64mb 60'], { stdio: 'ignore' });
  const forget = killOnExit(child);
  const probe = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.end(), resolve(true)));
      s.once('error', () => (s.destroy(), resolve(false)));
    });
  await until('redis-server', 10_000, probe, child);
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      forget();
      await stopChild(child, { graceMs: 10_000 });
      removeDir(dir);
    },
  };
}

/** PostgreSQL in a temp dir, listening only on a unix socket there; as root it runs as the `postgres` user. */
export async function startPostgresService(): Promise<Service> {
  // the real folder: a machine may link initdb into /usr/local/bin without pg_isready beside it
  const initdb = realpathSync(programPath('initdb'));
  const dir = makeTempDir('bench-pg');
  const owner: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    owner.uid = Number(execProgramSync('id', ['-u', 'postgres']));
    owner.gid = Number(execProgramSync('id', ['-g', 'postgres']));
    chownSync(dir, owner.uid, owner.gid);
  }
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
  const data = path.join(dir, 'data');
  execProgramSync({ file: initdb }, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'], { ...owner, env, stdio: 'ignore' });
  const settings = ['listen_addresses=', `unix_socket_directories=${dir}`, 'fsync=off', 'synchronous_commit=off', 'max_connections=200'];
  const child = spawnProgram({ file: path.join(path.dirname(initdb), 'postgres') }, ['-D', data, ...settings.flatMap((s) => ['-c', s])], { ...owner, env, stdio: 'ignore' });
  const forget = killOnExit(child);
  const pgIsReady = path.join(path.dirname(initdb), 'pg_isready');
  await until('postgres', 30_000, async () => {
    try {
      execProgramSync({ file: pgIsReady }, ['-h', dir, '-q'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }, child);
  return {
    url: `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}`,
    pid: child.pid!,
    stop: async () => {
      forget();
      await stopChild(child, { graceMs: 10_000, signal: 'SIGINT' });
      removeDir(dir);
    },
  };
}
