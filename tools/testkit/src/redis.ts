/**
 * A real, throw-away redis-server for tests and benches: on 127.0.0.1 and a free port (redis cannot listen on
 * port 0, so a port is picked by binding a socket to port 0 first), no persistence, in a temp dir.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { connect } from 'node:net';
import { TestkitError } from './errors.js';
import { freePort } from './port.js';
import { makeTempDir, removeDir } from './temp-dir.js';

export const REDIS_NOT_INSTALLED = 'redis-server is not installed: run `npm test` (it installs redis-server) or apt-get install redis-server';

export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  url: string;
  port: number;
  /** the redis-server process, for a bench to sample */
  pid: number;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface RedisOptions {
  /** more redis-server arguments, e.g. `['--client-output-buffer-limit', 'pubsub 256mb 64mb 60']` */
  extraArgs?: string[];
}

export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, opts.extraArgs ?? []);
    } catch (err) {
      // another process took the port between freePort() and redis binding it: try another
      if (attempt >= 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}

async function startOn(port: number, extraArgs: string[]): Promise<RedisServer> {
  const dir = makeTempDir('redis');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', ...extraArgs];
  const child: ChildProcess = spawnProgram('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    removeDir(dir);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new TestkitError('process', REDIS_NOT_INSTALLED, { cause: err }) : err));
      child.once('exit', (code) => reject(new TestkitError('process', `redis-server exited (${code}): ${output}`)));
      const deadline = Date.now() + 10_000;
      const probe = () => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.end('PING\r\n');
          resolve();
        });
        socket.once('error', () => {
          socket.destroy();
          if (Date.now() > deadline) reject(new TestkitError('process', `redis-server did not listen on ${port} within 10 s: ${output}`));
          else setTimeout(probe, 30);
        });
      };
      probe();
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, stop, [Symbol.asyncDispose]: stop };
}
