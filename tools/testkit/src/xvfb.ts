import { execProgramSync, programPath, spawnProgram } from '@fernhilfe/programs';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { stopChild } from './child.js';
import { TestkitError } from './errors.js';
import { describeError } from '@fernhilfe/protocol';

/**
 * A virtual X server (Xvfb) for browser tests and the browser benchmark. `-displayfd` lets Xvfb
 * pick a free display number itself and tells it once it accepts connections, so parallel test
 * files never race for `:99`.
 */
export interface Xvfb {
  /** the display number, e.g. 7 */
  display: number;
  /** the value for DISPLAY, e.g. ":7" */
  name: string;
  width: number;
  height: number;
  pid: number;
  /** SIGTERM, SIGKILL after 3 s; resolves when the process is gone */
  stop(): Promise<void>;
}

export interface XvfbOptions {
  width?: number;
  height?: number;
  timeoutMs?: number;
  /** keep RANDR (default off, see below) and do not reset when the last client leaves (-noreset) */
  randr?: boolean;
  /** with `randr`: RandR 1.5 monitors to define (`xrandr --setmonitor NAME W/500xH/280+X+Y none`), the first primary */
  monitors?: Array<{ name: string; x: number; y: number; width: number; height: number }>;
  /** runs Xvfb through a wrapper, e.g. in another network namespace pinned to a core (the bench's BenchNet.wrap); the X socket stays a file in /tmp/.X11-unix */
  wrap?: Wrap;
}

/** [file, args] -> the [file, args] that run it somewhere else (`ip netns exec … taskset -c …`); the wrappers exec, so the pid stays the program's */
export type Wrap = (file: string, args: string[]) => [string, string[]];

/**
 * A display number that no X server uses in this namespace or by file: an Xvfb in another network
 * namespace has its own abstract socket names, so its `-displayfd` may pick a number that a server
 * here already answers on (X clients try the abstract socket first and would reach that one).
 */
function unusedDisplay(): number {
  const unix = readFileSync('/proc/net/unix', 'utf8');
  for (let tries = 0; tries < 100; tries++) {
    const n = 300 + Math.floor(Math.random() * 600);
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`) && !unix.includes(`@/tmp/.X11-unix/X${n}\n`)) return n;
  }
  throw new TestkitError('xvfb', 'no unused X display number between 300 and 900');
}

export async function startXvfb(opts: XvfbOptions = {}): Promise<Xvfb> {
  const width = opts.width ?? 1920;
  const height = opts.height ?? 1080;
  // Without RANDR: Chromium 156's "Entire screen" auto-select asks the X11 screen capturer for
  // source 0, which it refuses when RANDR lists monitors (their ids are atoms), and getDisplayMedia
  // fails with NotReadableError "Could not start video source". Without RANDR it captures the root.
  const args = [...(opts.wrap ? [`:${unusedDisplay()}`] : []), '-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', ...(opts.randr ? ['-noreset'] : ['-extension', 'RANDR'])];
  const [file, wrapped] = opts.wrap ? opts.wrap(programPath('Xvfb'), args) : [programPath('Xvfb'), args];
  const child = spawnProgram({ file }, wrapped, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-4000)));
  const display = await new Promise<number>((resolve, reject) => {
    let out = '';
    const fd3 = child.stdio[3] as Readable;
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new TestkitError('xvfb', `Xvfb did not start (${why}). Is the Debian package xvfb installed? ${stderr.trim()}`));
    };
    const timer = setTimeout(() => fail('no display number within the timeout'), opts.timeoutMs ?? 15_000);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited with ${code ?? signal}`));
    fd3.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /^(\d+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(Number(m[1]));
    });
  });
  // if this process ends without stop() (a crash, process.exit), the X server does not outlive it
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  if (!existsSync(`/tmp/.X11-unix/X${display}`)) {
    await stopChild(child);
    throw new TestkitError('xvfb', `Xvfb reported display :${display} but has no socket`);
  }
  if (opts.randr && opts.monitors?.length) {
    try {
      opts.monitors.forEach((m, i) => {
        const geometry = `${m.width}/500x${m.height}/280+${m.x}+${m.y}`;
        execProgramSync('xrandr', ['--display', `:${display}`, '--setmonitor', i === 0 ? `*${m.name}` : m.name, geometry, 'none'], { stdio: 'pipe' });
      });
    } catch (err) {
      await stopChild(child);
      throw new TestkitError('xvfb', `xrandr --setmonitor failed (Debian package x11-xserver-utils): ${describeError(err)}`, { cause: err });
    }
  }
  return { display, name: `:${display}`, width, height, pid: child.pid!, stop: () => stopChild(child) };
}
