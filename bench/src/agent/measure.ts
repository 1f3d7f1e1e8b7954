import { spawnProgram } from '@fernhilfe/programs';
import { cpuMsByPid, listProcesses, processCpuMs } from '@fernhilfe/testkit';
import type { Workload } from './workloads.js';
import { compiledPath } from '../paths.js';
import { BenchError } from '../errors.js';

export interface ScenarioResult {
  name: string;
  seconds: number;
  frames: number;
  fps: number;
  /** video bytes per second (frames with their 13-byte header) */
  videoBytesPerSec: number;
  /** control messages per second (cursor position and shape), bytes */
  controlBytesPerSec: number;
  /** % of one core: the agent process, its fernhilfe-encoder children, both */
  cpuAgent: number;
  cpuEncoder: number;
  cpuTotal: number;
  grabMsMedian: number | undefined;
  /** BGRX -> I420 of the changed rows + writing the frame into the encoder (part of encodeMs) */
  writeMsMedian?: number | undefined;
  /** frames from the sharp still-screen encoder (refinements and the small changes after them) */
  stillFrames?: number;
  encodeMsMedian: number | undefined;
  encodeMsP90: number | undefined;
}

// the compiled child (also when this file runs from source under vitest: run `tsc -b` first)
const CHILD = compiledPath(new URL('./agent-child.js', import.meta.url));

/** pid -> CPU ms of the direct children of `pid` (the fernhilfe-encoder processes) */
function childrenCpu(pid: number): Map<number, number> {
  return cpuMsByPid(listProcesses().filter((p) => p.ppid === pid).map((p) => p.pid));
}

const quantile = (xs: number[], q: number): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Runs the agent's screen feature in its own process while `workload` changes the screen (`display` 'session': the platform `env` picks). */
export async function measureScenario(display: string, workload: Workload, opts: { warmupMs: number; windowMs: number; maxFps?: number; env?: Record<string, string>; readyMs?: number }): Promise<ScenarioResult> {
  const running = await workload.start(display);
  // env: the agent runs inside another desktop session (Wayland: display 'session', the platform the session's variables pick)
  const child = spawnProgram({ file: process.execPath }, [CHILD, display, String(opts.maxFps ?? 30)], { stdio: ['ignore', 'pipe', 'inherit'], ...(opts.env ? { env: opts.env } : {}) });
  try {
    let out = '';
    const lines: string[] = [];
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      let i;
      while ((i = out.indexOf('\n')) >= 0) {
        lines.push(out.slice(0, i));
        out = out.slice(i + 1);
      }
    });
    const waitLine = async (test: (l: string) => boolean, ms: number) => {
      const until = Date.now() + ms;
      for (;;) {
        const hit = lines.find(test);
        if (hit) return hit;
        if (child.exitCode !== null || Date.now() > until) throw new BenchError('timeout', `the agent child did not answer (${workload.name}${child.exitCode !== null ? `: it ended with exit code ${child.exitCode}` : ` within ${ms / 1000} s`})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitLine((l) => l.includes('"ready"'), opts.readyMs ?? 15_000);
    await new Promise((r) => setTimeout(r, opts.warmupMs));
    child.kill('SIGUSR1');
    const t0 = performance.now();
    const agent0 = processCpuMs(child.pid!);
    const enc0 = childrenCpu(child.pid!);
    await new Promise((r) => setTimeout(r, opts.windowMs));
    const wall = performance.now() - t0;
    const agentMs = processCpuMs(child.pid!) - agent0;
    let encMs = 0;
    for (const [pid, ms] of childrenCpu(child.pid!)) encMs += ms - (enc0.get(pid) ?? 0);
    child.kill('SIGTERM');
    const summary = JSON.parse(await waitLine((l) => l.includes('"frames"'), 10_000)) as { frames: Array<{ bytes: number; grabMs: number; writeMs?: number; encodeMs: number; refine?: boolean }>; controlBytes: number };
    const seconds = wall / 1000;
    const frames = summary.frames;
    const pct = (ms: number) => Math.round((ms / wall) * 1000) / 10;
    return {
      name: workload.name,
      seconds,
      frames: frames.length,
      fps: frames.length / seconds,
      videoBytesPerSec: frames.reduce((n, f) => n + f.bytes, 0) / seconds,
      controlBytesPerSec: summary.controlBytes / seconds,
      cpuAgent: pct(agentMs),
      cpuEncoder: pct(encMs),
      cpuTotal: pct(agentMs + encMs),
      grabMsMedian: quantile(frames.map((f) => f.grabMs), 0.5),
      writeMsMedian: quantile(frames.flatMap((f) => (f.writeMs === undefined ? [] : [f.writeMs])), 0.5),
      stillFrames: frames.filter((f) => f.refine).length,
      encodeMsMedian: quantile(frames.map((f) => f.encodeMs), 0.5),
      encodeMsP90: quantile(frames.map((f) => f.encodeMs), 0.9),
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await running.stop();
  }
}

export { quantile };
