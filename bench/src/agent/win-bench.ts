import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { cpuMsByPid, hostLoadPercent, listProcesses, startWine, type WineDesktop } from '@fernhilfe/testkit';
import { quantile } from './measure.js';
import { encodeRun, windowsEncoder, WIN_WORKLOADS, type WinEncodeRun } from './win-encode.js';
import { measureWindowsProgram, type WinProgram } from './win-program.js';
import { writeWinReport } from './win-report.js';
import { BenchError } from '../errors.js';
import { ROOT } from '../paths.js';

/** What one run measured (the report gives the median over runs and their spread). */
export interface WinRun {
  method: string;
  methodReason: string | undefined;
  width: number;
  height: number;
  /** full-monitor grabs, ms each */
  fullGrabMs: number[];
  /** % of one core over a phase: the Windows Node (node.exe under wine) and Xvfb (which serves wine's GetImage) */
  baseline: { node: number; xvfb: number };
  idle: { node: number; xvfb: number; frames: number };
  motion: { node: number; xvfb: number; frames: number; fps: number; grabMsMedian: number | undefined };
}

export interface WinBenchReport {
  when: string;
  smoke: boolean;
  screen: string;
  phaseSeconds: number;
  runs: WinRun[];
  /** the screen feature with fernhilfe-encoder.exe, one per workload and run */
  encoded: WinEncodeRun[];
  /** the built .exe: size and start-up under wine (not in a smoke run) */
  program?: WinProgram;
  hostLoadBefore: number;
}

const SRC = path.join(ROOT, 'bench', 'src', 'agent');

async function bundle(dir: string): Promise<{ child: string; painter: string; agent: string }> {
  // ES modules (the agent's packages use import.meta.url), with a require for the CommonJS packages inside
  const out = { child: path.join(dir, 'win-child.mjs'), painter: path.join(dir, 'win-painter.mjs'), agent: path.join(dir, 'win-agent-child.mjs') };
  for (const [entry, outfile] of [
    ['win-child.ts', out.child],
    ['win-painter.ts', out.painter],
    ['win-agent-child.ts', out.agent],
  ] as const) {
    await build({
      entryPoints: [path.join(SRC, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      banner: { js: "import { createRequire as __fhRequire } from 'node:module'; const require = __fhRequire(import.meta.url);" },
      conditions: ['source'],
      // the agent's Linux-only and optional parts are never loaded on Windows
      external: ['@roamhq/wrtc', 'bufferutil', 'utf-8-validate'],
      logLevel: 'error',
    });
  }
  return out;
}

interface Status {
  at: number;
  phase: string;
  [key: string]: unknown;
}

/** The pid of the Linux process that runs the Windows program whose command line names `winScript` (its Windows path: not the launching `wine explorer`). */
function winePid(winScript: string): number | undefined {
  return listProcesses().find((p) => p.cmdline.includes(winScript) && !/explorer/i.test(p.cmdline))?.pid;
}

async function oneRun(wine: WineDesktop, files: { child: string; painter: string }, dir: string, run: number, opts: { grabs: number; phaseMs: number }): Promise<WinRun> {
  const status = path.join(dir, `status-${run}.jsonl`);
  const read = (): Status[] => (existsSync(status) ? readFileSync(status, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Status) : []);
  const proc = wine.node(files.child, [wine.winPath(status), String(opts.grabs), String(opts.phaseMs)], { name: `win-child-${run}` });
  let painter: ReturnType<WineDesktop['node']> | undefined;
  const cpu: Record<string, { node: number; xvfb: number }> = {};
  let pid: number | undefined;
  let mark: { phase: string; t: number; node: number; xvfb: number } | undefined;
  try {
    const deadline = Date.now() + 120_000 + 8 * opts.phaseMs;
    for (;;) {
      const lines = read();
      const last = lines.at(-1);
      if (last?.phase === 'failed') throw new BenchError('process', `the Windows capture failed: ${String(last.error)}`);
      pid ??= winePid(wine.winPath(files.child));
      if (last && pid && last.phase !== mark?.phase) {
        const now = cpuMsByPid([pid, wine.xvfb.pid]);
        const t = performance.now();
        if (mark) {
          const wall = t - mark.t;
          cpu[mark.phase] = { node: pct((now.get(pid) ?? 0) - mark.node, wall), xvfb: pct((now.get(wine.xvfb.pid) ?? 0) - mark.xvfb, wall) };
        }
        mark = { phase: last.phase, t, node: now.get(pid) ?? 0, xvfb: now.get(wine.xvfb.pid) ?? 0 };
        if (last.phase === 'await-motion') painter = wine.node(files.painter, [String(wine.width), String(wine.height), wine.winPath(status)], { name: `win-painter-${run}` });
        if (last.phase === 'done') break;
      }
      if (proc.child.exitCode !== null && last?.phase !== 'done') throw new BenchError('process', `the Windows capture ended early: ${JSON.stringify(proc.output())}`);
      if (Date.now() > deadline) throw new BenchError('timeout', `the Windows capture did not finish (last phase: ${last?.phase ?? 'none'})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const lines = read();
    const get = (phase: string) => lines.find((l) => l.phase === phase)!;
    const grabs = get('grabs');
    const idle = get('await-motion').idle as { frames: number };
    const motion = get('baseline').motion as { frames: number; grabMs: number[] };
    return {
      method: String(grabs.method),
      methodReason: grabs.methodReason as string | undefined,
      width: Number(grabs.width),
      height: Number(grabs.height),
      fullGrabMs: get('settle').fullGrabMs as number[],
      baseline: cpu.baseline!,
      idle: { ...cpu.idle!, frames: idle.frames },
      motion: { ...cpu.motion!, frames: motion.frames, fps: motion.frames / (opts.phaseMs / 1000), grabMsMedian: quantile(motion.grabMs, 0.5) },
    };
  } finally {
    // the painter ends by itself once the status says done; a failed run kills it
    await painter?.exited(20_000).catch(() => painter?.kill());
    await proc.exited(20_000).catch(() => proc.kill());
  }
}

const pct = (ms: number, wall: number): number => Math.round((ms / wall) * 1000) / 10;

/**
 * `npm run bench:agent -- --platform win-x64 [--smoke] [--runs N]`: the Windows screen capture
 * (packages/agent/src/platform/windows) in the pinned Windows Node under wine on a 1920x1080 Xvfb:
 * full-frame grab time, the CPU of a still desktop with the capture open against Node alone, and
 * frames/s + CPU while a block moves; then the screen feature with fernhilfe-encoder.exe for each of
 * the four workloads (win-painter.ts); then (not in a smoke run) the built .exe's size and start-up
 * under wine (win-program.ts). GDI under wine is not Windows' speed: wine turns BitBlt of
 * the desktop into X GetImage calls on Xvfb. Writes bench/results/agent-win-x64.{md,json}.
 */
export async function runWinAgentBench(opts: { smoke: boolean; outDir?: string; runs?: number }): Promise<WinBenchReport> {
  const hostLoadBefore = await hostLoadPercent(opts.smoke ? 300 : 1000);
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-win-bench-'));
  const wine = await startWine({ width: 1920, height: 1080 });
  const phaseMs = opts.smoke ? 2000 : 10_000;
  const runs: WinRun[] = [];
  const encoded: WinEncodeRun[] = [];
  try {
    const files = await bundle(dir);
    for (let i = 0; i < (opts.runs ?? (opts.smoke ? 1 : 3)); i++) {
      // wine's virtual desktop ends with its last program: the next run starts once it is gone
      if (i > 0) await wine.settle();
      runs.push(await oneRun(wine, files, dir, i, { grabs: opts.smoke ? 5 : 30, phaseMs }));
    }
    const encoder = windowsEncoder();
    for (let i = 0; i < runs.length; i++) {
      for (const workload of WIN_WORKLOADS) {
        await wine.settle();
        encoded.push(await encodeRun(wine, files, path.join(dir, `encode-${workload.mode}-${i}.jsonl`), encoder, workload, { warmMs: opts.smoke ? 3000 : 8000, measureMs: phaseMs }));
      }
    }
  } finally {
    await wine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const program = opts.smoke ? undefined : await measureWindowsProgram();
  const report: WinBenchReport = { when: new Date().toISOString(), smoke: opts.smoke, screen: `wine ${wine.width}x${wine.height} virtual desktop on Xvfb`, phaseSeconds: phaseMs / 1000, runs, encoded, program, hostLoadBefore };
  if (opts.outDir) writeWinReport(report, opts.outDir);
  return report;
}
