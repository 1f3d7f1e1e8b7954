import type { ChildProcess } from 'node:child_process';

export interface StopChildOptions {
  /** how long the child may take to end after `signal` before it gets SIGKILL (default 3 s) */
  graceMs?: number;
  /** the first signal (default SIGTERM) */
  signal?: NodeJS.Signals;
}

/** Ends a child process: `signal`, then SIGKILL if it is still there after `graceMs`. Resolves once it has exited. */
export function stopChild(child: ChildProcess | undefined, { graceMs = 3_000, signal = 'SIGTERM' }: StopChildOptions = {}): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
