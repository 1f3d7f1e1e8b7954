import { percentile } from '../stats.js';
import type { LinkProfileName } from './net/index.js';
import { median, type CompareResults, type Measurement } from './run.js';
import type { Stack } from './stack.js';
import type { StageBreakdown } from './stages.js';
import type { Workload } from './workloads.js';

/** A figure over the runs: the median and the spread (min–max of the per-run values). */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One stack on one workload and profile, over all runs. */
export interface Cell {
  profile: LinkProfileName;
  workload: Workload['name'];
  stack: Stack['name'];
  runs: number;
  /** latency: all markers of all runs pooled (median, p95), spread = min–max of the per-run medians */
  latency: Spread & { p95: number; seen: number; asked: number };
  fps: Spread;
  bytesPerSecond: Spread;
  psnr: Spread;
  captureCpu: Spread;
  relayCpu: Spread;
  firstFrameMs: Spread;
  /** the longest gap between drawn pictures: spread over the runs, `max` the longest of all */
  stallMs: Spread;
  stages: StageBreakdown[];
}

export function spread(xs: readonly number[]): Spread {
  const ok = xs.filter((x) => Number.isFinite(x));
  return { median: median(ok), min: ok.length ? Math.min(...ok) : Number.NaN, max: ok.length ? Math.max(...ok) : Number.NaN };
}

export function cellOf(ms: readonly Measurement[]): Cell {
  const first = ms[0]!;
  const pooled = ms.flatMap((m) => m.latency.samples);
  const sorted = Float64Array.from(pooled).sort();
  const perRun = spread(ms.map((m) => median(m.latency.samples)));
  return {
    profile: first.profile,
    workload: first.workload,
    stack: first.stack,
    runs: ms.length,
    latency: { median: median(pooled), min: perRun.min, max: perRun.max, p95: percentile(sorted, 95), seen: pooled.length, asked: ms.reduce((n, m) => n + m.latency.asked, 0) },
    fps: spread(ms.map((m) => m.traffic.fps)),
    bytesPerSecond: spread(ms.map((m) => m.traffic.bytesPerSecond)),
    psnr: spread(ms.map((m) => m.psnr)),
    captureCpu: spread(ms.map((m) => m.traffic.captureCpu)),
    relayCpu: spread(ms.map((m) => m.traffic.relayCpu)),
    firstFrameMs: spread(ms.map((m) => m.firstFrameMs)),
    stallMs: spread(ms.map((m) => m.traffic.stallMs)),
    stages: ms.flatMap((m) => m.latency.stages ?? []),
  };
}

/** Every (profile, workload, stack) cell of a run, in the plan's order. */
export function cells(r: CompareResults): Cell[] {
  const keyed = new Map<string, Measurement[]>();
  for (const m of r.measurements) {
    const key = `${m.profile}/${m.workload}/${m.stack}`;
    keyed.set(key, [...(keyed.get(key) ?? []), m]);
  }
  return [...keyed.values()].map(cellOf);
}

export function findCell(all: readonly Cell[], profile: LinkProfileName, workload: Workload['name'], stack: Stack['name']): Cell | undefined {
  return all.find((c) => c.profile === profile && c.workload === workload && c.stack === stack);
}
