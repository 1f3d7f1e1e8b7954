import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { customerGetsCredentials, technicianConnects, technicianSignsIn, launchHeadless, launchOnDisplay, XPainter, type Rgb, startXvfb, type Xvfb, processCpuMs, cpuMsByPid } from '@fernhilfe/testkit';
import { armProbe, PAGE_COUNTERS, probeSeenAt, readCounters, type Counters } from './browser-probe.js';
import { chromiumProcesses, cpuByKind, type ProcessKind } from './browser-procs.js';
import { BACKGROUND, MovingSquare } from './browser-scene.js';
import { ServerProcess } from './server-process.js';
import { summarize, type Summary } from './stats.js';
import { BenchError } from './errors.js';

/** How long each phase runs; the smoke plan only proves the benchmark works. */
export interface BrowserBenchPlan {
  smoke: boolean;
  warmupMs: number;
  motionMs: number;
  idleMs: number;
  latencySamples: number;
}

export function browserPlan(smoke: boolean): BrowserBenchPlan {
  return smoke
    ? { smoke, warmupMs: 1_000, motionMs: 3_000, idleMs: 2_000, latencySamples: 5 }
    : { smoke, warmupMs: 3_000, motionMs: 20_000, idleMs: 10_000, latencySamples: 20 };
}

export type Cpu = Record<ProcessKind | 'total', number>;

export interface PhaseResult {
  ms: number;
  framesPerSecond: number;
  kbitPerSecond: number;
  /** screen repaints per second on the X server (motion phase) */
  screenChangesPerSecond: number;
  customerCpu: Cpu;
  consoleCpu: Cpu;
  xvfbCpu: number;
  serverCpu: number;
  /** the console's own quality indicator at the end of the phase */
  qualityText: string;
}

export interface BrowserBenchResults {
  chromium: string;
  codec: string;
  screen: { width: number; height: number };
  firstFrameMs: number;
  motion: PhaseResult;
  idle: PhaseResult;
  latency: Summary & { asked: number };
}

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const LOGIN = 'bench';
/** where latency markers are painted (the motion is stopped by then), and where they are read */
const MARKER = { x: 200, y: 600, width: 400, height: 300 };
const MARKER_COLOURS: Rgb[] = [
  [230, 30, 200],
  [30, 200, 230],
];
const TOLERANCE = 40;

/**
 * One browser-only session against the real server (a child process): the customer's page in a
 * normal Chromium on Xvfb shares the 1920x1080 screen, the technician's console in headless
 * Chromium shows it. Everything is stopped again before this returns or throws.
 */
export async function runBrowserBench(plan: BrowserBenchPlan): Promise<BrowserBenchResults> {
  const password = randomBytes(18).toString('base64url');
  const closers: Array<() => Promise<unknown>> = [];
  try {
    progress('starting the server, Xvfb and two Chromiums');
    const server = await ServerProcess.start({ login: LOGIN, password });
    closers.push(() => server.stop());
    const xvfb = await startXvfb();
    closers.push(() => xvfb.stop());
    const painter = await XPainter.open(xvfb.display);
    closers.push(async () => painter.close());
    await painter.fill(BACKGROUND);

    const customerMarker = `--fernhilfe-bench-customer=${process.pid}`;
    const consoleMarker = `--fernhilfe-bench-console=${process.pid}`;
    const [custBrowser, techBrowser] = await Promise.all([launchOnDisplay(xvfb.name, { extraArgs: [customerMarker] }), launchHeadless([consoleMarker])]);
    closers.push(() => custBrowser.close(), () => techBrowser.close());
    const cust = await pageWithCounters(custBrowser, { viewport: null });
    const tech = await pageWithCounters(techBrowser, { viewport: { width: 1600, height: 1000 } });

    progress('connecting: customer page, console sign-in, ID + password');
    const creds = await customerGetsCredentials(cust, server.url);
    await technicianSignsIn(tech, server.url, LOGIN, password);
    await technicianConnects(tech, creds);
    await tech.getByTestId('end-session').waitFor({ state: 'visible', timeout: 15_000 });

    progress('sharing the screen');
    const shareAt = performance.now();
    await cust.getByTestId('share-screen').click();
    const firstFrameMs = await waitFor(async () => (await readCounters(tech)).frames > 0, 15_000, 'the first frame on the console canvas');
    const sinceShare = performance.now() - shareAt;

    const procs = {
      customer: chromiumProcesses(customerMarker),
      console: chromiumProcesses(consoleMarker),
    };
    const measure = (what: string, ms: number, motion?: MovingSquare) => measurePhase(what, ms, { tech, xvfb, serverPid: server.pid, procs, motion });

    const square = new MovingSquare(painter, { width: xvfb.width, top: 120 });
    square.start(30);
    await sleep(plan.warmupMs);
    const motion = await measure('motion', plan.motionMs, square);
    await square.stop();
    await sleep(1_000);
    const idle = await measure('idle', plan.idleMs);

    progress(`latency: ${plan.latencySamples} screen changes`);
    const latency = await measureLatency(painter, tech, plan.latencySamples);
    server.assertRunning();
    const codec = (await readCounters(tech)).codec;
    return {
      chromium: techBrowser.version(),
      codec,
      screen: { width: xvfb.width, height: xvfb.height },
      firstFrameMs: firstFrameMs >= 0 ? sinceShare : Number.NaN,
      motion,
      idle,
      latency,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

async function pageWithCounters(browser: Browser, opts: { viewport: { width: number; height: number } | null }): Promise<Page> {
  const context = await browser.newContext({ viewport: opts.viewport, locale: 'en-US' });
  await context.addInitScript(PAGE_COUNTERS);
  return context.newPage();
}

interface PhaseDeps {
  tech: Page;
  xvfb: Xvfb;
  serverPid: number;
  procs: { customer: Array<{ pid: number; kind: ProcessKind }>; console: Array<{ pid: number; kind: ProcessKind }> };
  motion: MovingSquare | undefined;
}

async function measurePhase(what: string, ms: number, d: PhaseDeps): Promise<PhaseResult> {
  progress(`${what}: ${ms / 1000} s`);
  const pids = (list: Array<{ pid: number }>) => list.map((p) => p.pid);
  const snap = () => ({
    at: performance.now(),
    customer: cpuMsByPid(pids(d.procs.customer)),
    console: cpuMsByPid(pids(d.procs.console)),
    xvfb: processCpuMs(d.xvfb.pid),
    server: processCpuMs(d.serverPid),
    ticks: d.motion?.ticks ?? 0,
  });
  const before = snap();
  const c0 = await readCounters(d.tech);
  await sleep(ms);
  const c1 = await readCounters(d.tech);
  const after = snap();
  const wall = after.at - before.at;
  const qualityText = ((await d.tech.getByTestId('quality').first().textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
  return {
    ms: wall,
    framesPerSecond: ((c1.frames - c0.frames) / wall) * 1000,
    kbitPerSecond: kbit(c0, c1, wall),
    screenChangesPerSecond: ((after.ticks - before.ticks) / wall) * 1000,
    customerCpu: cpuByKind(d.procs.customer, before.customer, after.customer, wall),
    consoleCpu: cpuByKind(d.procs.console, before.console, after.console, wall),
    xvfbCpu: ((after.xvfb - before.xvfb) / wall) * 100,
    serverCpu: ((after.server - before.server) / wall) * 100,
    qualityText,
  };
}

const kbit = (a: Counters, b: Counters, ms: number) => ((b.bytesIn - a.bytesIn) * 8) / ms;

/**
 * Paints a marker of alternating colours on a still screen at a random pace and takes the time
 * from just before the paint request to the console's first draw that shows it.
 */
async function measureLatency(painter: XPainter, tech: Page, samples: number): Promise<Summary & { asked: number }> {
  const at = { x: (MARKER.x + MARKER.width / 2) / painter.width, y: (MARKER.y + MARKER.height / 2) / painter.height };
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const colour = MARKER_COLOURS[i % MARKER_COLOURS.length]!;
    await armProbe(tech, i, at, colour, TOLERANCE);
    const paintedAt = performance.timeOrigin + performance.now();
    await painter.fill(colour, [MARKER]);
    const seenAt = await probeSeenAt(tech, i, 3_000);
    if (seenAt !== undefined) latencies.push(seenAt - paintedAt);
    await sleep(250 + Math.random() * 250);
  }
  return { ...summarize(latencies), asked: samples };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new BenchError('timeout', `timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return performance.now() - start;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
