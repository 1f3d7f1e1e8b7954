/**
 * The Windows side of `bench:agent --platform win-x64`: runs in the pinned Windows Node under wine
 * (bundled by win-bench.ts) and writes its progress as JSON lines to the file named by
 * argv[2] (stdout is no pipe through wine). Phases, each announced before it starts so the Linux
 * side can read this process's CPU from /proc over exactly that window:
 *   warmup    Node's start-up settles (not reported)
 *   grabs     full-monitor grabs back to back, each timed
 *   settle    the capture open on a still desktop (it slows its polls after 1 and 5 s; not reported)
 *   idle      the same, measured: a pump grabbing on `damage` as the agent's does
 *   await-motion  until the painter (win-painter.ts, started by the Linux side now) first paints
 *   motion    the pump while the painter moves a block
 *   baseline  the capture closed and the painter gone: Node alone, warmed up (what the capture's costs compare with)
 *   done      the figures
 */
import { appendFileSync } from 'node:fs';
// the platform table alone: the agent's whole index would bring files it reads from beside itself
import type { ScreenCapture } from '@fernhilfe/agent';
import { openScreenCapture } from '@fernhilfe/agent/platform';

const [statusFile = 'status.jsonl', grabsArg = '30', phaseArg = '5000'] = process.argv.slice(2);
const phaseMs = Number(phaseArg);
const say = (o: object): void => appendFileSync(statusFile, JSON.stringify({ at: Date.now(), ...o }) + '\n');
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pump like the screen feature's: on damage, grab (at most `fps` a second); counts frames and grab times. */
async function pump(capture: ScreenCapture, ms: number, fps = 30): Promise<{ frames: number; grabMs: number[]; dirtyPixels: number }> {
  const grabMs: number[] = [];
  let frames = 0;
  let dirtyPixels = 0;
  // a damage may have come before this pump listened (the capture then waits for a grab): look once at the start
  let damaged = true;
  let wake: (() => void) | undefined;
  const off = capture.on('damage', () => {
    damaged = true;
    wake?.();
  });
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!damaged) {
      await Promise.race([new Promise<void>((r) => (wake = r)), wait(end - Date.now())]);
      continue;
    }
    damaged = false;
    const t = performance.now();
    const frame = await capture.grab();
    const took = performance.now() - t;
    if (frame) {
      frames++;
      grabMs.push(took);
      dirtyPixels += (frame.dirty ?? [{ width: frame.width, height: frame.height }]).reduce((n, r) => n + r.width * r.height, 0);
    }
    await wait(1000 / fps);
  }
  off();
  return { frames, grabMs, dirtyPixels };
}

async function main(): Promise<void> {
  // Node's own start-up (compiling the bundle) is no phase's cost
  say({ phase: 'warmup' });
  await wait(Math.min(phaseMs, 3000));
  const capture = await openScreenCapture({});
  const sel = capture.selected;
  say({ phase: 'grabs', method: capture.method, methodReason: capture.methodReason, width: sel.width, height: sel.height });
  await capture.grab({ full: true });
  const full: number[] = [];
  for (let i = 0; i < Number(grabsArg); i++) {
    const t = performance.now();
    await capture.grab({ full: true });
    full.push(performance.now() - t);
  }
  // the capture slows its polls after 1 and 5 still seconds: the idle phase measures the still state
  say({ phase: 'settle', fullGrabMs: full });
  const settle = await pump(capture, Math.min(6000, phaseMs));
  say({ phase: 'idle' });
  const idle = await pump(capture, phaseMs);
  idle.frames += settle.frames;
  // the painter starts now (wine takes seconds to start a program): measuring begins with its first change
  say({ phase: 'await-motion', idle });
  await new Promise<void>((resolve) => {
    const off = capture.on('damage', () => {
      off();
      resolve();
    });
  });
  say({ phase: 'motion' });
  const motion = await pump(capture, phaseMs);
  capture.close();
  say({ phase: 'baseline', motion });
  await wait(phaseMs);
  say({ phase: 'done' });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say({ phase: 'failed', error: err instanceof Error ? err.stack : String(err) });
    process.exit(1);
  },
);
