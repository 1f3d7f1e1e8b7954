import type { ChildProcess } from 'node:child_process';
import { execProgram, programPath, spawnProgram, type ProgramName } from '@fernhilfe/programs';
import { processTree, stopChild, type Rect, type Rgb, type Wrap, type XPainter } from '@fernhilfe/testkit';
import { BenchError } from '../errors.js';

/**
 * The four scripted screens of `npm run bench` on one 1920x1080 Xvfb. Each keeps clear of MARKER,
 * the square in the bottom-left corner where the latency probe paints, so every workload can be
 * measured for glass-to-glass latency while it runs.
 */
export const SCREEN = { width: 1920, height: 1080 } as const;
export const MARKER: Rect = { x: 16, y: 968, width: 96, height: 96 };
export const DESKTOP: Rgb = [58, 110, 165];

export interface Workload {
  readonly name: 'idle' | 'typing' | 'drag' | 'animation';
  readonly title: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** holds the screen still (for the picture-quality sample) until thaw() */
  freeze(): Promise<void>;
  thaw(): void;
  /** screen changes made so far (paints, moves, characters) */
  readonly changes: number;
}

export interface WorkloadDeps {
  display: string;
  painter: XPainter;
  /** runs the X clients (xclock, xterm) on the customer's side */
  wrap: Wrap;
}

export function workloads(d: WorkloadDeps): Workload[] {
  return [new IdleClock(d), new TerminalTyping(d), new WindowDrag(d), new FullScreenAnimation(d)];
}

/** (a) An idle desktop with a ticking clock: xclock, second hand, updating once a second. */
class IdleClock implements Workload {
  readonly name = 'idle';
  readonly title = '(a) idle desktop, ticking clock';
  changes = 0;
  private clock: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly d: WorkloadDeps) {}
  async start(): Promise<void> {
    await this.d.painter.fill(DESKTOP);
    this.clock = spawnX(this.d, 'xclock', ['-update', '1', '-geometry', '181x181+1720+20']);
    await windowByPid(this.d.display, this.clock);
    this.timer = setInterval(() => this.changes++, 1000);
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await stopChild(this.clock, { graceMs: 2_000 });
  }
  freeze = () => signalTree(this.clock, 'SIGSTOP');
  thaw = () => void signalTree(this.clock, 'SIGCONT');
}

/** (b) Text typed into a terminal at ~40 characters a second; lines wrap and the terminal scrolls. */
class TerminalTyping implements Workload {
  readonly name = 'typing';
  readonly title = '(b) typing and scrolling in a terminal';
  private term: ChildProcess | undefined;
  private started = 0;
  constructor(private readonly d: WorkloadDeps) {}
  get changes(): number {
    return this.started ? Math.floor(((performance.now() - this.started) / 1000) * 40) : 0;
  }
  async start(): Promise<void> {
    await this.d.painter.fill(DESKTOP);
    // the text comes from a small node program inside the xterm, one character every 25 ms
    const typer = `const t='Fernhilfe: Fernwartung mit Einmal-ID und Passwort. The quick brown fox jumps over the lazy dog 0123456789. ';let i=0;setInterval(()=>{process.stdout.write(t[i++%t.length]);if(i%90===0)process.stdout.write('\\n')},25)`;
    this.term = spawnX(this.d, 'xterm', ['-geometry', '110x40+60+40', '-fa', 'Monospace', '-fs', '12', '-bg', 'white', '-fg', 'black', '-T', 'fh-typing', '-e', process.execPath, '-e', typer]);
    await windowByPid(this.d.display, this.term);
    this.started = performance.now();
  }
  async stop(): Promise<void> {
    this.started = 0;
    await stopChild(this.term, { graceMs: 2_000 });
  }
  freeze = () => signalTree(this.term, 'SIGSTOP');
  thaw = () => void signalTree(this.term, 'SIGCONT');
}

/** (c) A terminal window with text in it, dragged left and right across the screen at 30 moves a second. */
class WindowDrag implements Workload {
  readonly name = 'drag';
  readonly title = '(c) a window dragged continuously';
  changes = 0;
  private term: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly d: WorkloadDeps) {}
  private frozen = false;
  freeze = async () => {
    this.frozen = true;
    await this.d.painter.sync();
  };
  thaw = () => void (this.frozen = false);
  async start(): Promise<void> {
    await this.d.painter.fill(DESKTOP);
    this.term = spawnX(this.d, 'xterm', ['-geometry', '80x24+100+100', '-bg', 'white', '-fg', 'black', '-T', 'fh-drag', '-e', 'sh', '-c', 'ls -la /usr/bin | head -40; sleep 1000000']);
    const win = await windowByPid(this.d.display, this.term);
    const started = performance.now();
    this.timer = setInterval(() => {
      if (this.frozen) return;
      const t = (performance.now() - started) / 1000;
      const span = 1100;
      const travel = (t * 500) % (2 * span);
      const x = 100 + (travel < span ? travel : 2 * span - travel);
      const y = 100 + 150 * Math.sin(t * 1.3);
      this.d.painter.moveWindow(win, x, y);
      this.changes++;
    }, 1000 / 30);
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
    // a round trip first: on a busy X server the last moves may not be processed yet, and one that
    // reaches the window after its client is gone is a BadWindow error that ends the painter
    await this.d.painter.sync();
    await stopChild(this.term, { graceMs: 2_000 });
  }
}

/**
 * (d) Full-screen motion: 24x24 tiles in 16 colours whose pattern shifts every frame (30 fps), so every
 * pixel above the marker strip changes each frame, like a video playing full screen.
 */
class FullScreenAnimation implements Workload {
  readonly name = 'animation';
  readonly title = '(d) full-screen animation';
  changes = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private frozen = false;
  constructor(private readonly d: WorkloadDeps) {}
  async start(): Promise<void> {
    await this.d.painter.fill(DESKTOP);
    this.timer = setInterval(() => void (this.frozen || this.frame()), 1000 / 30);
  }
  freeze = async () => {
    this.frozen = true;
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
  };
  thaw = () => void (this.frozen = false);
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.d.painter.fill(DESKTOP);
  }
  private async frame(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const t = this.changes++;
      const tile = 24;
      const bottom = MARKER.y - 8;
      const byColour = PALETTE.map(() => [] as Rect[]);
      for (let y = 0; y < bottom; y += tile) {
        for (let x = 0; x < SCREEN.width; x += tile) {
          const i = ((x / tile) * 3 + (y / tile) * 5 + t) % PALETTE.length;
          byColour[i]!.push({ x, y, width: tile, height: Math.min(tile, bottom - y) });
        }
      }
      await this.d.painter.paint(PALETTE.map((color, i) => ({ color, rects: byColour[i]! })));
    } finally {
      this.busy = false;
    }
  }
}

const PALETTE: Rgb[] = Array.from({ length: 16 }, (_, i) => {
  const h = (i * 360) / 16;
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(40 + 200 * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)] as const;
});

function spawnX(d: WorkloadDeps, command: ProgramName, args: string[]): ChildProcess {
  const [file, wrapped] = d.wrap(programPath(command), args);
  const child = spawnProgram({ file }, wrapped, { env: { ...process.env, DISPLAY: d.display }, stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

/** The top-level window of a client we started (waits for it to be mapped). */
async function windowByPid(display: string, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new BenchError('process', `${child.spawnfile} exited (${child.exitCode}); is its Debian package installed?`);
    const out = await execProgram('xdotool', ['search', '--onlyvisible', '--pid', String(child.pid)], { env: { ...process.env, DISPLAY: display } }).then(
      (r) => r.stdout.trim(),
      () => '',
    );
    const id = Number(out.split('\n')[0]);
    if (id > 0) return id;
    if (Date.now() > deadline) throw new BenchError('timeout', `no window of ${child.spawnfile} appeared within 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGSTOP / SIGCONT a client and everything it started (xterm and the program in it). */
async function signalTree(child: ChildProcess | undefined, signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  for (const pid of processTree(child.pid)) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
  // give the X server a moment to finish what the client had sent
  await new Promise((r) => setTimeout(r, 50));
}
