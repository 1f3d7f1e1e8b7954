import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { execProgram, spawnProgram } from '@fernhilfe/programs';
import { stopChild } from '@fernhilfe/testkit';
import { vi } from 'vitest';
import { X11ScreenCapture } from '../../../packages/agent/src/platform/x11/capture.js';

/**
 * The customer's desktop for the session panel's test: a window manager that honours the EWMH
 * hints (openbox) on an Xvfb, an xterm that covers the whole screen (running `cat` into a file the
 * test reads), and the tools to find the panel's window, read its properties as the window manager
 * left them, take a picture of the screen and click with a real (XTEST) pointer.
 */
export interface PanelDesktop {
  xterm: { id: string; typed(): string };
  /** the panel's window once it is mapped (WM_CLASS "fernhilfe-panel") */
  panelWindow(timeoutMs?: number): Promise<string>;
  /** where a window is on the screen, and its size */
  geometry(id: string): Promise<{ x: number; y: number; width: number; height: number }>;
  /** the window's _NET_WM_STATE as xprop prints it */
  wmState(id: string): Promise<string>;
  /** makes the xterm the active window and raises it (as a customer clicking it would) */
  activateXterm(): Promise<void>;
  /** BGR bytes of a screen rectangle, row by row */
  grab(rect: { x: number; y: number; width: number; height: number }): Promise<Buffer>;
  /** the whole screen, BGRX */
  grabScreen(): Promise<{ width: number; height: number; data: Buffer }>;
  click(x: number, y: number): Promise<void>;
  /** presses the main button at `from`, moves the pointer to `to` in steps, and lets go there */
  drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startPanelDesktop(display: string, typedFile: string): Promise<PanelDesktop> {
  const env = { ...process.env, DISPLAY: display };
  const children: ChildProcess[] = [];
  const capture = await X11ScreenCapture.open({ display, method: 'core' });
  const stop = async () => {
    capture.close();
    for (const c of children.reverse()) await stopChild(c, { graceMs: 1_000 });
  };
  try {
    const wm = spawnProgram('openbox', ['--sm-disable'], { env, stdio: 'ignore' });
    children.push(wm);
    // the window manager is up once it names itself on the root window
    await vi.waitFor(async () => {
      if (wm.exitCode !== null) throw new Error(`openbox exited (${wm.exitCode})`);
      const out = (await execProgram('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env })).stdout;
      if (!/window id/.test(out)) throw new Error('no window manager yet');
    }, { timeout: 15_000, interval: 100 });

    const title = `fernhilfe-fullscreen-${randomBytes(4).toString('hex')}`;
    const xterm = spawnProgram('xterm', ['-title', title, '-fa', '', '-bg', '#203040', '-fg', '#ffffff', '-e', 'sh', '-c', `stty -echo; exec cat > '${typedFile}'`], { env, stdio: 'ignore' });
    children.push(xterm);
    const id = (await execProgram('xdotool', ['search', '--sync', '--onlyvisible', '--name', title], { env, timeout: 15_000 })).stdout.trim().split('\n')[0]!;
    // cover the whole screen (frame and all), as a maximised editor or browser would
    await execProgram('xdotool', ['windowsize', '--sync', id, '100%', '100%'], { env });
    await execProgram('xdotool', ['windowmove', '--sync', id, '0', '0'], { env });
    await vi.waitFor(() => {
      if (!existsSync(typedFile)) throw new Error('the xterm has not started cat yet');
    }, { timeout: 10_000, interval: 25 });

    const desktop: PanelDesktop = {
      xterm: {
        id,
        typed: () => (existsSync(typedFile) ? readFileSync(typedFile, 'utf8') : ''),
      },
      panelWindow: async (timeoutMs = 20_000) => (await execProgram('xdotool', ['search', '--sync', '--onlyvisible', '--classname', 'fernhilfe-panel'], { env, timeout: timeoutMs })).stdout.trim().split('\n')[0]!,
      geometry: async (win) => {
        const out = (await execProgram('xdotool', ['getwindowgeometry', '--shell', win], { env })).stdout;
        const v = (k: string) => Number(new RegExp(`^${k}=(-?\\d+)$`, 'm').exec(out)?.[1]);
        return { x: v('X'), y: v('Y'), width: v('WIDTH'), height: v('HEIGHT') };
      },
      wmState: async (win) => (await execProgram('xprop', ['-id', win, '_NET_WM_STATE'], { env })).stdout,
      activateXterm: async () => {
        await execProgram('xdotool', ['windowactivate', '--sync', id], { env });
        await execProgram('xdotool', ['windowraise', id], { env });
      },
      grab: async (r) => {
        const frame = (await capture.grab({ full: true }))!;
        const out = Buffer.alloc(r.width * r.height * 3);
        for (let y = 0; y < r.height; y++)
          for (let x = 0; x < r.width; x++) {
            const i = ((r.y + y) * frame.width + r.x + x) * 4;
            frame.data.copy(out, (y * r.width + x) * 3, i, i + 3);
          }
        return out;
      },
      grabScreen: async () => {
        const frame = (await capture.grab({ full: true }))!;
        return { width: frame.width, height: frame.height, data: Buffer.from(frame.data) };
      },
      click: async (x, y) => {
        await execProgram('xdotool', ['mousemove', '--sync', String(Math.round(x)), String(Math.round(y)), 'click', '1'], { env });
      },
      drag: async (from, to) => {
        const at = (f: number) => [String(Math.round(from.x + (to.x - from.x) * f)), String(Math.round(from.y + (to.y - from.y) * f))];
        const steps = [0.25, 0.5, 0.75, 1].flatMap((f) => ['mousemove', '--sync', ...at(f), 'sleep', '0.05']);
        await execProgram('xdotool', ['mousemove', '--sync', ...at(0), 'mousedown', '1', ...steps, 'mouseup', '1'], { env });
      },
      stop,
    };
    return desktop;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** BGR bytes of a rendered panel picture (BGRX), the same layout as PanelDesktop.grab. */
export function bgrOf(image: { width: number; height: number; data: Buffer }): Buffer {
  const out = Buffer.alloc(image.width * image.height * 3);
  for (let i = 0, o = 0; i < image.data.length; i += 4, o += 3) image.data.copy(out, o, i, i + 3);
  return out;
}
