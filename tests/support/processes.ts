import type { ChildProcess } from 'node:child_process';
import { execProgramSync, spawnProgram, type Command } from '@fernhilfe/programs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = path.join(ROOT, 'packages/cli/bin/fernhilfe.js');
/** The entry of `npm run bench:session` / `bench:files` (the bench workspace, compiled). */
export const BENCH_CLI = path.join(ROOT, 'bench/dist/cli.js');

/**
 * Compiles the TypeScript once (the CLI and `npm start` run the compiled output); nothing to do under
 * `npm test`, which built and type-checked everything just before the tests (FERNHILFE_TEST_BUILT).
 */
export function buildOnce(): void {
  if (process.env.FERNHILFE_TEST_BUILT === '1') return;
  execProgramSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'inherit' });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script to completion with `input` on stdin. */
export function runNode(script: string, args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnProgram({ file: process.execPath }, [script, ...args], { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(script)} ${args.join(' ')} did not finish: ${stdout}${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(opts.input ?? '');
  });
}

/** Runs the `fernhilfe` CLI to completion with `input` on stdin. */
export function runCli(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return runNode(CLI, args, opts);
}

export interface Started {
  child: ChildProcess;
  output(): string;
  /** resolves with the first match of `re` in stdout+stderr */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
}

/** Starts a long-running process (e.g. `npm start`) and lets the test wait for lines of its output. */
export function startProcess(command: Command, args: string[], env: Record<string, string>): Started {
  const child = spawnProgram(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor: (re, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${re}; output so far:\n${out}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
      return exited;
    },
  };
}
