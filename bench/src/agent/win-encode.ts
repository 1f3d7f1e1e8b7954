import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execProgramSync } from '@fernhilfe/programs';
import { cpuMsByPid, listProcesses, type WineDesktop } from '@fernhilfe/testkit';
import { BenchError } from '../errors.js';
import { ROOT } from '../paths.js';

/** The Windows side of the X11 bench's workloads (win-painter.ts's modes). */
export const WIN_WORKLOADS = [
  { mode: 'clock', name: 'idle desktop (ticking clock)', description: 'a 48 px clock drawn with TextOutW once a second, nothing else changes' },
  { mode: 'typing', name: 'typing in Notepad', description: 'Notepad, ~10 characters/s posted as WM_CHAR to its Edit control' },
  { mode: 'block', name: 'dragged window', description: 'a 400x300 block moved 30 times a second (GDI FillRect)' },
  { mode: 'full', name: 'full-screen motion', description: 'the whole desktop repainted 30 times/s (64 shifting colour stripes)' },
] as const;
export type WinWorkload = (typeof WIN_WORKLOADS)[number];

/** What the painter (win-painter.ts) reported at its end. */
export interface PainterReport {
  paints: number;
  typed: number;
  /** of the typed characters, the Enters (bench results before this field have none) */
  enters?: number;
  notepadChars: number;
}

/** The screen feature with the encoder under wine while one workload runs (one run). */
export interface WinEncodeRun {
  workload: WinWorkload['mode'];
  painter: PainterReport;
  fps: number;
  videoBytesPerSec: number;
  /** % of one core: the Windows Node (capture, conversion, pipe) and fernhilfe-encoder.exe, and Xvfb */
  cpuNode: number;
  cpuEncoder: number;
  cpuXvfb: number;
  grabMsMedian: number | undefined;
  encodeMsMedian: number | undefined;
}

/** fernhilfe-encoder.exe, built (or taken from the cache) by packages/agent/build/encoder.mjs. */
export function windowsEncoder(): string {
  const out = execProgramSync({ file: process.execPath }, [path.join(ROOT, 'packages/agent/build/encoder.mjs'), 'win-x64'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return String(out).trim().split('\n').at(-1)!;
}

/** Processes of this wine prefix whose command line names `marker` (other sessions on this machine run wine too). */
function pidsOf(wine: WineDesktop, marker: string): number[] {
  return listProcesses()
    .filter((p) => p.cmdline.includes(marker) && !/explorer/i.test(p.cmdline))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(`WINEPREFIX=${wine.prefix}`);
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}

/**
 * win-agent-child.ts (ScreenFeature: the Windows capture + fernhilfe-encoder.exe, an in-process viewer
 * acknowledging at once) while win-painter.ts runs `workload` (typing: in a Notepad started here):
 * frames/s, video bytes, CPU of the Windows Node, of the encoder and of Xvfb over the measured window.
 */
export async function encodeRun(wine: WineDesktop, files: { agent: string; painter: string }, status: string, encoder: string, workload: WinWorkload, opts: { warmMs: number; measureMs: number }): Promise<WinEncodeRun> {
  const read = () => (existsSync(status) ? readFileSync(status, 'utf8') : '');
  let notepad: ReturnType<WineDesktop['start']> | undefined;
  const proc = wine.node(files.agent, [wine.winPath(status), String(opts.warmMs), String(opts.measureMs)], { env: { FERNHILFE_ENCODER: wine.winPath(encoder) }, name: 'win-agent-child' });
  let painter: ReturnType<WineDesktop['node']> | undefined;
  const deadline = Date.now() + 120_000 + opts.warmMs + opts.measureMs;
  const until = async (phase: string) => {
    while (!read().includes(`"phase":"${phase}"`)) {
      if (read().includes('"phase":"failed"')) throw new BenchError('process', `the Windows screen feature failed: ${read()}`);
      if (proc.child.exitCode !== null) throw new BenchError('process', `the Windows screen feature ended early: ${JSON.stringify(proc.output())}`);
      if (Date.now() > deadline) throw new BenchError('timeout', `the Windows screen feature did not reach ${phase}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await until('warmup');
    // a program started on a desktop that has one already: its launcher may end at once (wine hands it over)
    if (workload.mode === 'typing') notepad = wine.start('notepad', [], { name: 'notepad-bench' });
    painter = wine.node(files.painter, [String(wine.width), String(wine.height), wine.winPath(status), workload.mode], { name: `win-painter-${workload.mode}` });
    await until('measure');
    const groups = { node: pidsOf(wine, path.basename(files.agent)), encoder: pidsOf(wine, path.basename(encoder)), xvfb: [wine.xvfb.pid] };
    const before = cpuMsByPid([...groups.node, ...groups.encoder, ...groups.xvfb]);
    const t0 = performance.now();
    await until('done');
    const wall = performance.now() - t0;
    const after = cpuMsByPid([...groups.node, ...groups.encoder, ...groups.xvfb]);
    // a process that ended meanwhile is left out (its time is lost to the figure, never negative)
    const pct = (pids: number[]) => Math.round((pids.reduce((n, pid) => n + (after.has(pid) && before.has(pid) ? after.get(pid)! - before.get(pid)! : 0), 0) / wall) * 1000) / 10;
    const done = JSON.parse(read().trim().split('\n').find((l) => l.includes('"phase":"done"'))!) as { frames: number; bytes: number; grabMsMedian?: number; encodeMsMedian?: number };
    const seconds = opts.measureMs / 1000;
    // the painter's launcher may have ended at once (see above): its report file says it is done
    const reportDeadline = Date.now() + 20_000;
    while (!existsSync(`${status}.painter.json`)) {
      if (Date.now() > reportDeadline) throw new BenchError('timeout', `the ${workload.mode} workload did not report what it did: ${JSON.stringify(painter.output())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const painted = JSON.parse(readFileSync(`${status}.painter.json`, 'utf8')) as PainterReport;
    return {
      workload: workload.mode,
      painter: { paints: painted.paints, typed: painted.typed, enters: painted.enters, notepadChars: painted.notepadChars },
      fps: done.frames / seconds,
      videoBytesPerSec: done.bytes / seconds,
      cpuNode: pct(groups.node),
      cpuEncoder: pct(groups.encoder),
      cpuXvfb: pct(groups.xvfb),
      grabMsMedian: done.grabMsMedian,
      encodeMsMedian: done.encodeMsMedian,
    };
  } finally {
    await painter?.exited(20_000).catch(() => painter?.kill());
    await proc.exited(20_000).catch(() => proc.kill());
    // the painter closed Notepad; a failed run kills the launcher (the next workload waits for wine to settle)
    await notepad?.exited(20_000).catch(() => notepad?.kill());
  }
}
