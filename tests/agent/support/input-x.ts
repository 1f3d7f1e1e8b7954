import type { ChildProcess } from 'node:child_process';
import { execProgram, spawnProgram } from '@fernhilfe/programs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startXvfb, type Xvfb } from '@fernhilfe/testkit';
import { vi } from 'vitest';
import { X11Connection, queryKeymap, queryPointer } from '../../../packages/agent/src/platform/x11/client.js';


/** Where the test terminal sits on the X screen (no window manager: the geometry is exact). */
export const TERMINAL = { x: 100, y: 100 };

/**
 * An X screen for input tests: Xvfb, and an xterm running `cat > FILE` so that whatever an X client
 * receives as typed text lands in a file (after Enter: the terminal is line-buffered). The xterm is a
 * real, independent X client: it maps key events through the X keyboard mapping with Xlib, exactly
 * like a customer's application.
 */
export interface InputScreen {
  xvfb: Xvfb;
  display: string;
  /** the xterm's window in screen pixels */
  terminal: { x: number; y: number; width: number; height: number };
  /** what the terminal's `cat` wrote so far */
  typed(): string;
  /** `setxkbmap LAYOUT` on the X server */
  setLayout(layout: 'de' | 'us'): Promise<void>;
  /** keycodes the X server holds down right now (QueryKeymap) */
  keysDown(): Promise<number[]>;
  pointer(): Promise<{ x: number; y: number; mask: number }>;
  /** a separate X client ("the customer's own hand") moving the mouse, through xdotool */
  localMouseMove(x: number, y: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startInputScreen(): Promise<InputScreen> {
  const xvfb = await startXvfb({ width: 1280, height: 800 });
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-input-'));
  const file = path.join(dir, 'typed.txt');
  const env = { ...process.env, DISPLAY: xvfb.name, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  let xterm: ChildProcess | undefined;
  let probe: X11Connection | undefined;
  const stop = async () => {
    await probe?.close();
    if (xterm && xterm.exitCode === null) {
      const gone = new Promise((r) => xterm!.once('exit', r));
      xterm.kill('SIGTERM');
      await gone;
    }
    await xvfb.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // the probe connection also keeps the X server from resetting (and losing the layout) between tools
    probe = await X11Connection.open(xvfb.name);
    xterm = spawnProgram('xterm', ['-u8', '-geometry', `60x8+${TERMINAL.x}+${TERMINAL.y}`, '-e', 'sh', '-c', `stty -echo; exec cat > '${file}'`], { env, stdio: 'ignore' });
    const { stdout } = await execProgram('xdotool', ['search', '--sync', '--onlyvisible', '--class', 'XTerm', 'getwindowgeometry', '--shell'], { env, timeout: 15_000 });
    const num = (k: string) => Number(new RegExp(`^${k}=(\\d+)`, 'm').exec(stdout)?.[1]);
    const terminal = { x: num('X'), y: num('Y'), width: num('WIDTH'), height: num('HEIGHT') };
    const x = probe;
    return {
      xvfb,
      display: xvfb.name,
      terminal,
      typed: () => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      },
      setLayout: async (layout) => {
        await execProgram('setxkbmap', [layout], { env });
        const { stdout: query } = await execProgram('setxkbmap', ['-query'], { env });
        if (!new RegExp(`^layout:\\s+${layout}$`, 'm').test(query)) throw new Error(`setxkbmap ${layout} did not take: ${query}`);
      },
      keysDown: async () => {
        const bits = await queryKeymap(x);
        const down: number[] = [];
        for (let k = 0; k < 256; k++) if ((bits[k >> 3]! >> (k & 7)) & 1) down.push(k);
        return down;
      },
      pointer: () => queryPointer(x),
      localMouseMove: async (px, py) => void (await execProgram('xdotool', ['mousemove', String(px), String(py)], { env })),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Polls until `fn` is true or `ms` passed; returns whether it became true (each caller expects it
 * true, or checks the condition right after, with its own message).
 */
export async function until(fn: () => boolean | Promise<boolean>, ms: number, every = 25): Promise<boolean> {
  return vi
    .waitFor(
      async () => {
        if (!(await fn())) throw new Error('not yet');
      },
      { timeout: ms, interval: every },
    )
    .then(
      () => true,
      () => false,
    );
}
