import type { ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { spawnProgram } from '@fernhilfe/programs';
import type { ProgramFailure } from '@fernhilfe/protocol';
import { BUILD_SCRIPT, ROOT } from './sources.js';

/** One run of scripts/build-agent.mjs in a child process at low priority (nice 10), so the server keeps answering. */
export interface BuildRun {
  child: ChildProcess;
  /** resolves when the child ended: ok, or the failure in plain words */
  done: Promise<{ ok: true; output: string } | { ok: false; failure: ProgramFailure; output: string }>;
  /** ends the build and everything it started (its process group) */
  stop(): void;
}

export function runBuild(args: string[], env: Record<string, string>): BuildRun {
  const child = spawnProgram({ file: process.execPath }, [BUILD_SCRIPT, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() ends the programs it started too
  });
  try {
    if (child.pid) setPriority(child.pid, 10); // what it starts from now on inherits it
  } catch {
    // not allowed to lower it (a container without the capability): it builds at normal priority
  }
  let output = '';
  const collect = (d: Buffer) => void (output = (output + d.toString()).slice(-64_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const done = new Promise<Awaited<BuildRun['done']>>((resolve) => {
    child.on('error', (err) => resolve({ ok: false, failure: { code: 'failed', detail: `the build could not start: ${err.message}` }, output }));
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ ok: true, output });
      else resolve({ ok: false, failure: failureOf(output, code === null ? `stopped by ${signal ?? 'a signal'}` : `exit code ${code}`), output });
    });
  });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  };
  return { child, done, stop };
}

/** The build's own message (`build:agent: …`), sorted into what the operator has to do. */
export function failureOf(output: string, ended: string): ProgramFailure {
  const at = output.lastIndexOf('build:agent: ');
  const said = (at >= 0 ? output.slice(at + 'build:agent: '.length) : output.trim().split('\n').slice(-5).join('\n')).trim();
  const detail = (said || `the build ended without a message (${ended})`).slice(0, 2000);
  if (/is not installed: install the Debian package/.test(detail)) return { code: 'missing-program', detail };
  if (/from the npm registry/.test(detail)) return { code: 'registry', detail };
  return { code: 'failed', detail };
}
