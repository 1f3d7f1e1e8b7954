import type { Page } from 'playwright-core';
import { armProbe, probeSeenAt, probeStages, readCounters, readStall, resetStall } from '../browser-probe.js';
import { cpuMsByPid, type Rgb, type XPainter } from '@fernhilfe/testkit';
import { cpuPercent, type Connection } from './stack.js';
import type { StageBreakdown, StageCollector } from './stages.js';
import { MARKER, SCREEN } from './workloads.js';

export interface Traffic {
  ms: number;
  /** pictures drawn on the viewer's canvas per second */
  fps: number;
  /** payload bytes that reached the viewer per second */
  bytesPerSecond: number;
  /** % of one core: the customer's side (capture + encode) and the middle (server or proxy) */
  captureCpu: number;
  relayCpu: number;
  /** the longest gap between two pictures drawn on the viewer's canvas during the window, ms */
  stallMs: number;
}

/** Frames, bytes and CPU over `ms` of a running workload. */
export async function measureTraffic(c: Connection, ms: number): Promise<Traffic> {
  const capture = c.capturePids();
  const relay = c.relayPids();
  const c0 = await readCounters(c.page);
  const b0 = await c.bytesToViewer();
  const cap0 = cpuMsByPid(capture);
  const rel0 = cpuMsByPid(relay);
  await resetStall(c.page);
  const t0 = performance.now();
  await sleep(ms);
  const stallMs = await readStall(c.page);
  const c1 = await readCounters(c.page);
  const b1 = await c.bytesToViewer();
  const cap1 = cpuMsByPid(capture);
  const rel1 = cpuMsByPid(relay);
  const wall = performance.now() - t0;
  return {
    ms: wall,
    fps: ((c1.frames - c0.frames) / wall) * 1000,
    bytesPerSecond: ((b1 - b0) / wall) * 1000,
    captureCpu: cpuPercent(cap0, cap1, wall),
    relayCpu: cpuPercent(rel0, rel1, wall),
    stallMs,
  };
}

const MARKER_COLOURS: Rgb[] = [
  [250, 250, 20],
  [20, 250, 250],
  [250, 20, 250],
  [250, 120, 0],
];
const TOLERANCE = 48;

/**
 * Glass-to-glass latency: a marker square is painted on the X screen (time taken on this machine's
 * clock just before the paint request) and the viewer page notes the time of the first canvas draw
 * that shows it (same clock: performance.timeOrigin + now). Missed markers (none within 3 s) are counted.
 * No new marker is painted once `budgetMs` has passed.
 */
export interface Latency {
  /** each marker's glass-to-glass time, ms (missed markers left out) */
  samples: number[];
  asked: number;
  stages?: StageBreakdown[];
}

export async function measureLatency(page: Page, painter: XPainter, samples: number, stages?: StageCollector, budgetMs = Number.POSITIVE_INFINITY): Promise<Latency> {
  const deadline = performance.now() + budgetMs;
  let asked = 0;
  const at = { x: (MARKER.x + MARKER.width / 2) / SCREEN.width, y: (MARKER.y + MARKER.height / 2) / SCREEN.height };
  const latencies: number[] = [];
  const breakdowns: StageBreakdown[] = [];
  // on a slow link each marker can take seconds: past the budget no new marker is painted (asked says how many were)
  for (let i = 0; i < samples && performance.now() < deadline; i++) {
    asked++;
    const colour = MARKER_COLOURS[i % MARKER_COLOURS.length]!;
    const id = Math.floor(Math.random() * 1e9);
    await armProbe(page, id, at, colour, TOLERANCE);
    const paintedAt = performance.timeOrigin + performance.now();
    await painter.fill(colour, [MARKER]);
    const seenAt = await probeSeenAt(page, id, 3_000);
    if (seenAt !== undefined) latencies.push(seenAt - paintedAt);
    if (seenAt !== undefined && stages) {
      await sleep(50); // the agent's datagram for that frame
      const b = stages.breakdown(paintedAt, seenAt, await probeStages(page, id));
      if (b) breakdowns.push(b);
    }
    await sleep(80 + Math.random() * 120);
  }
  return { samples: latencies, asked, ...(stages ? { stages: breakdowns } : {}) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
