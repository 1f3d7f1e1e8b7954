import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { stopChild, processCpuMs, rssKiB, makeTempDir, removeDir, type Wrap } from '@fernhilfe/testkit';
import { FERNHILFE_BIN as BIN } from './paths.js';
import { BenchError } from './errors.js';

/** The `fernhilfe` command of this checkout (the compiled one: run `npm run build` first). */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ServerProcessOptions {
  login: string;
  password: string;
  /** extra environment for `fernhilfe start` */
  env?: Record<string, string>;
  /** runs `fernhilfe start` through a wrapper (npm run bench pins the server to the technician's core) */
  wrap?: Wrap;
}

/**
 * The real server as a child process (`fernhilfe start`) with a fresh SQLite data directory and
 * one technician account made by `fernhilfe user add`. Knows its pid, so the bench can read the
 * server's memory and CPU time from /proc. `stop()` (or `await using`) ends it and removes its data.
 */
export class ServerProcess {
  private exitInfo: string | undefined;
  private readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    readonly url: string,
  ) {
    child.once('exit', (code, signal) => (this.exitInfo = `exit code ${code ?? '-'}, signal ${signal ?? '-'}`));
  }

  static async start(opts: ServerProcessOptions): Promise<ServerProcess> {
    const dataDir = makeTempDir('bench');
    const child = await (async () => {
      try {
        await addUser(dataDir, opts.login, opts.password);
        const [file, args] = (opts.wrap ?? ((f: string, a: string[]): [string, string[]] => [f, a]))(process.execPath, [BIN, 'start']);
        return spawnProgram({ file }, args, { env: serverEnv(dataDir, opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        removeDir(dataDir);
        throw err;
      }
    })();
    stopOnExit(child);
    try {
      const url = await waitForUrl(child);
      const server = new ServerProcess(child, dataDir, url);
      child.stdout?.on('data', (b: Buffer) => server.keep(b));
      child.stderr?.on('data', (b: Buffer) => server.keep(b));
      return server;
    } catch (err) {
      await stopChild(child, { graceMs: STOP_TIMEOUT_MS });
      removeDir(dataDir);
      throw err;
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Throws when the server is gone (a crash shows as this error instead of as odd numbers). */
  assertRunning(): void {
    if (this.exitInfo) throw new BenchError('process', `the server process ended (${this.exitInfo}); its last output:\n${this.output.join('').slice(-2000)}`);
  }

  /** Resident set size from /proc/<pid>/status, KiB. */
  rssKiB(): number {
    this.assertRunning();
    return rssKiB(this.pid);
  }

  /** User + system CPU time so far, milliseconds (from /proc/<pid>/stat). */
  cpuMs(): number {
    this.assertRunning();
    return processCpuMs(this.pid);
  }

  async stop(): Promise<void> {
    await stopChild(this.child, { graceMs: STOP_TIMEOUT_MS });
    removeDir(this.dataDir);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  private keep(chunk: Buffer): void {
    this.output.push(chunk.toString('utf8'));
    if (this.output.length > 50) this.output.shift();
  }
}

function serverEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // every bench customer comes from 127.0.0.1: the registration limit is lifted unless the bench sets it (bench:abuse)
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', REGISTRATIONS_PER_MINUTE: '1000000', AGENT_AUTOBUILD: 'off', ...extra };
  // SQLite in DATA_DIR and the documented defaults, whatever the caller's shell has set
  for (const name of ['DATABASE_URL', 'BACKOFF_BASE_MS', 'PAIRING_TIMEOUT_MS', 'TLS_CERT', 'TLS_KEY', 'TRUST_PROXY', 'PUBLIC_URL']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function addUser(dataDir: string, login: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnProgram({ file: process.execPath }, [BIN, 'user', 'add', login, '--role', 'technician'], {
      env: { ...serverEnv(dataDir) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.stderr!.on('data', (b: Buffer) => (output += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    child.once('error', (err) => (clearTimeout(timer), reject(err)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new BenchError('process', `fernhilfe user add failed (exit code ${code ?? 'killed'}): ${output.trim()}`));
    });
    child.stdin!.end(`${password}\n`);
  });
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const done = (err: Error | undefined, url?: string) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(url!);
    };
    const onData = (b: Buffer) => {
      output += b.toString('utf8');
      const match = output.match(/Fernhilfe is running at (https?:\/\/\S+)/);
      if (match) done(undefined, match[1]);
    };
    const onErr = (b: Buffer) => (output += b.toString('utf8'));
    const onExit = (code: number | null) => done(new BenchError('process', `fernhilfe start ended before it was ready (exit code ${code ?? 'killed'}): ${output.trim().slice(-2000)}`));
    const timer = setTimeout(() => done(new BenchError('timeout', `fernhilfe start did not print its address within ${START_TIMEOUT_MS / 1000} s: ${output.trim().slice(-2000)}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** If the bench itself dies (an uncaught error, Ctrl-C, a kill), the server does not outlive it. */
function stopOnExit(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  child.once('exit', () => {
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}
