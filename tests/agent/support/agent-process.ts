import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawnProgram, type ProgramName } from '@fernhilfe/programs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../support/processes.js';

/**
 * The real agent (packages/agent/dist/main.js) as a child process, as a customer would start it,
 * optionally under a wrapper such as strace. Its stdout/stderr are recorded; the test waits for
 * lines and writes answers to its stdin (the terminal UI).
 */
export const AGENT_MAIN = path.join(ROOT, 'packages/agent/dist/main.js');

export function assertAgentBuilt(): void {
  if (!existsSync(AGENT_MAIN)) throw new Error(`${AGENT_MAIN} is missing: run \`npx tsc -b\` before the agent tests`);
  const index = path.join(ROOT, 'apps/quicksupport/dist/index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build -w apps/quicksupport\``);
}

export interface AgentProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** resolves with the first match of `re` in stdout (or stdout+stderr with `anyStream`) */
  waitFor(re: RegExp, timeoutMs?: number, anyStream?: boolean): Promise<RegExpMatchArray>;
  /** one line to the agent's stdin */
  type(line: string): void;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  /** SIGKILL if it still runs (cleanup) */
  kill(): Promise<void>;
}

export interface StartAgentOptions {
  env?: Record<string, string>;
  /** a program that runs the agent, e.g. strace with its arguments; node and the script are appended */
  wrapper?: { program: ProgramName; args: string[] };
  cwd?: string;
  /** another build of the agent to run (e.g. the one-file bundle); default packages/agent/dist/main.js */
  script?: string;
  /** a built single-file program to run itself instead of node + script (tests/agent/build-fixture.ts) */
  program?: string;
}

export function startAgent(args: string[], opts: StartAgentOptions = {}): AgentProcess {
  const node = opts.program ? [opts.program, ...args] : [process.execPath, opts.script ?? AGENT_MAIN, ...args];
  const [command, argv] = opts.wrapper ? [opts.wrapper.program, [...opts.wrapper.args, ...node]] : [{ file: node[0]! }, node.slice(1)];
  const child = spawnProgram(command, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, FERNHILFE_AGENT_LOG: 'info', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    wake();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(wake);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (re, timeoutMs = 15_000, anyStream = false) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = (anyStream ? out + err : out).match(re);
          if (m) {
            done();
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`the agent exited (${child.exitCode ?? child.signalCode}) before ${re}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const done = () => {
          waiters.delete(check);
          clearTimeout(timer);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${re}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    type: (line) => void child.stdin.write(line + '\n'),
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
