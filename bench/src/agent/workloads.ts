import type { ChildProcess } from 'node:child_process';
import { execProgram, spawnProgram, type ProgramName } from '@fernhilfe/programs';
import { XPainter } from '@fernhilfe/testkit';
import { BenchError } from '../errors.js';

/**
 * Screen workloads on an X display, for `npm run bench:agent` and for any other benchmark of screen
 * sharing: each starts something that changes the screen the way a person's desktop does, and stops
 * it again. They need the Debian packages x11-apps (xclock), xterm and xdotool.
 */
export interface Workload {
  name: string;
  /** what it looks like, for the report */
  description: string;
  start(display: string): Promise<RunningWorkload>;
}

export interface RunningWorkload {
  stop(): Promise<void>;
}

function launch(cmd: ProgramName, args: string[], display: string): ChildProcess {
  const child = spawnProgram(cmd, args, { env: { ...process.env, DISPLAY: display }, stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}

/** Waits until a window whose name matches `name` is mapped; its X id. */
async function windowId(display: string, name: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { stdout } = await execProgram('xdotool', ['search', '--onlyvisible', '--name', name], { env: { ...process.env, DISPLAY: display } });
      const id = stdout.trim().split('\n')[0];
      if (id) return id;
    } catch {
      // not there yet
    }
    if (Date.now() > until) throw new BenchError('timeout', `no window "${name}" on ${display} (are xterm/x11-apps installed?)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A desktop where nothing changes (the person reads, or is away): only the agent's own upkeep costs. */
export const stillDesktop: Workload = {
  name: 'idle desktop (nothing changes)',
  description: 'the plain desktop, nothing running',
  async start() {
    return { stop: async () => undefined };
  },
};

/** An otherwise still desktop with a digital clock that ticks once a second. */
export const idleClock: Workload = {
  name: 'idle desktop (ticking clock)',
  description: 'xclock -digital -update 1, nothing else changes',
  async start(display) {
    const clock = launch('xclock', ['-digital', '-update', '1', '-geometry', '+1600+20', '-title', 'bench-clock'], display);
    await windowId(display, 'bench-clock');
    return { stop: () => kill(clock) };
  },
};

/** Someone typing in a terminal: xdotool types a sentence into an xterm, ~10 characters a second. */
export const terminalTyping: Workload = {
  name: 'typing in a terminal',
  description: 'xterm 100x30, xdotool types ~10 characters/s',
  async start(display) {
    const term = launch('xterm', ['-geometry', '100x30+200+150', '-title', 'bench-term', '-e', 'cat'], display);
    const id = await windowId(display, 'bench-term');
    const env = { ...process.env, DISPLAY: display };
    let stopped = false;
    // focus it and type through XTEST (xterm ignores events sent with --window, i.e. XSendEvent)
    await execProgram('xdotool', ['windowfocus', id], { env }).catch(() => undefined);
    const typing = (async () => {
      while (!stopped) {
        await execProgram('xdotool', ['type', '--delay', '100', 'the quick brown fox jumps over the lazy dog '], { env }).catch(() => undefined);
        await execProgram('xdotool', ['key', 'Return'], { env }).catch(() => undefined);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await kill(term);
        await typing;
      },
    };
  },
};

/** A window dragged around: an xterm moved 20 px every frame (60 moves a second) back and forth. */
export const windowDrag: Workload = {
  name: 'dragged window',
  description: 'xterm 80x24 moved by 20 px 60 times a second (xdotool windowmove)',
  async start(display) {
    const term = launch('xterm', ['-geometry', '80x24+100+100', '-title', 'bench-drag'], display);
    const id = await windowId(display, 'bench-drag');
    const env = { ...process.env, DISPLAY: display };
    let stopped = false;
    const moving = (async () => {
      for (let i = 0; !stopped; i++) {
        const x = 100 + (i % 60) * 20;
        await execProgram('xdotool', ['windowmove', id, String(x), String(100 + (i % 30) * 10)], { env }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 16));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await moving;
        await kill(term);
      },
    };
  },
};

/** Full-screen motion: the whole root window repainted 60 times a second with shifting colour stripes. */
export const fullMotion: Workload = {
  name: 'full-screen motion',
  description: 'the whole screen repainted 60 times/s (64 shifting colour stripes)',
  async start(display) {
    const painter = await XPainter.open(Number(display.replace(/^:/, '').split('.')[0]));
    let stopped = false;
    const painting = (async () => {
      for (let frame = 0; !stopped; frame++) {
        const stripes = 64;
        const w = Math.ceil(painter.width / stripes);
        const areas = Array.from({ length: stripes }, (_, i) => {
          const h = (i * 17 + frame * 5) % 256;
          return { color: [h, (h * 3) % 256, 255 - h] as const, rects: [{ x: ((i * w + frame * 7) % (painter.width + w)) - w, y: 0, width: w, height: painter.height }] };
        });
        await painter.paint(areas);
        await new Promise((r) => setTimeout(r, 16));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await painting;
        painter.close();
      },
    };
  },
};

export const workloads = [stillDesktop, idleClock, terminalTyping, windowDrag, fullMotion] as const;
