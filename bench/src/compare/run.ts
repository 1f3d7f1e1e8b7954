import { launchHeadless, XPainter, startXvfb } from '@fernhilfe/testkit';
import type { Browser } from 'playwright-core';
import { FernhilfeStack } from './fernhilfe.js';
import { LoadWindow, loadOver, showLoad, type LoadSample } from './load.js';
import type { Machines } from './machines.js';
import { measureLatency, measureTraffic, sleep, type Latency, type Traffic } from './measure.js';
import { LINK_PROFILES, type LinkProfile, type LinkProfileName } from './net/index.js';
import { addTally, tallyBetween, type LinkTally } from './link-counters.js';
import { PathPinger, type PathRtt } from './path-rtt.js';
import type { ComparePlan } from './plan.js';
import { psnrAgainstScreen } from './quality.js';
import { Progress } from './progress.js';
import { StageCollector, countFrames, type AgentFrameCounts } from './stages.js';
import type { Stack } from './stack.js';
import { NoVncStack } from './vnc.js';
import { workloads, type Workload } from './workloads.js';

/** One stack through one workload on one profile in one run. */
export interface Measurement {
  run: number;
  profile: LinkProfileName;
  workload: Workload['name'];
  stack: Stack['name'];
  /** this stack went first in its cell this run (the order alternates) */
  first: boolean;
  firstFrameMs: number;
  traffic: Traffic;
  latency: Latency;
  /** PSNR of the viewer's canvas against the X screen, screen held still, dB */
  psnr: number;
  /** Fernhilfe: what the agent sent while connected (frames, keyframes, sharp still pictures) */
  agentFrames?: AgentFrameCounts;
  /** the machine while this was measured (frames/bytes/CPU window and the latency markers) */
  load: LoadSample;
  /** screen changes per second the workload made while this stack was measured */
  changesPerSecond: number;
}

export interface CompareResults {
  chromium: string;
  machines: { mode: Machines['mode']; description: string; emulated: boolean };
  stacks: Array<{ name: string; description: string }>;
  profiles: LinkProfile[];
  titles: Record<Workload['name'], string>;
  /** the machine before the run (2 s, nothing of the bench's running yet but the bench) */
  loadBefore: LoadSample;
  /** per profile, one path-RTT measurement per run */
  pathRtt: Partial<Record<LinkProfileName, PathRtt[]>>;
  /** per profile, what the link emulator counted while the profile was set, summed over the runs */
  link: Partial<Record<LinkProfileName, LinkTally>>;
  measurements: Measurement[];
}

/**
 * The interleaved comparison: for each run, each profile (set on the customer's link), each workload,
 * both stacks, the stack that goes first alternating from run to run. Everything started here is
 * stopped before this returns or throws.
 */
export async function runCompare(plan: ComparePlan, machines: Machines): Promise<CompareResults> {
  const loadBefore = await loadOver(2_000);
  const closers: Array<() => Promise<unknown>> = [];
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  log(`machine before the run: ${showLoad(loadBefore)}`);
  try {
    log(`${machines.describe()}`);
    log('starting Xvfb, the Fernhilfe server, x11vnc + proxy, the path echo, headless Chromium');
    const xvfb = await startXvfb({ width: 1920, height: 1080, wrap: machines.customer });
    closers.push(() => xvfb.stop());
    const painter = await XPainter.open(xvfb.display);
    closers.push(async () => painter.close());
    // the bench customer sends its frames' stage times here (stages.ts), from the customer's side
    const stages = await StageCollector.open(machines.serverHost);
    closers.push(async () => stages.close());
    const fernhilfe = await FernhilfeStack.start(xvfb.name, machines, stages.address);
    closers.push(() => fernhilfe.stop());
    const novnc = await NoVncStack.start(xvfb.name, machines);
    closers.push(() => novnc.stop());
    const pinger = await PathPinger.start(machines);
    closers.push(() => pinger.stop());
    const stacks: Stack[] = [fernhilfe, novnc];
    // plain HTTP on a private address: both viewer origins count as secure (WebCrypto, WebCodecs), as behind TLS
    const secure = machines.serverHost === '127.0.0.1' ? [] : [`--unsafely-treat-insecure-origin-as-secure=${stacks.map((s) => s.origin).join(',')}`];
    const browser: Browser = await launchHeadless(secure, { wrap: machines.technician });
    closers.push(() => browser.close());
    for (const s of stacks) await s.attach(browser);

    const list = workloads({ display: xvfb.name, painter, wrap: machines.customer }).filter((w) => plan.workloads.includes(w.name));
    const progress = new Progress(plan.runs * plan.profiles.length * list.length * stacks.length, log);
    const measurements: Measurement[] = [];
    const pathRtt: CompareResults['pathRtt'] = {};
    const link: CompareResults['link'] = {};
    for (let run = 1; run <= plan.runs; run++) {
      for (const [pi, name] of plan.profiles.entries()) {
        await machines.setProfile(LINK_PROFILES[name]);
        const rtt = await pinger.measure(browser);
        (pathRtt[name] ??= []).push(rtt);
        log(`run ${run}/${plan.runs}, profile ${name}: path RTT median ${rtt.p50.toFixed(1)} ms (${rtt.min.toFixed(1)}–${rtt.max.toFixed(1)})`);
        const counted = await machines.linkCounters();
        for (const [wi, w] of list.entries()) {
          // the stack that goes first alternates from run to run within a cell
          const order = (run + pi * list.length + wi) % 2 === 0 ? stacks : [...stacks].reverse();
          await w.start();
          try {
            for (const stack of order) {
              const at = { run, profile: name, workload: w.name, stack: stack.name, first: stack === order[0] };
              const m = await measureStack(stack, w, painter, xvfb.name, plan, stack === fernhilfe ? stages : undefined);
              measurements.push({ ...at, ...m });
              progress.done(`run ${run} ${name} ${w.name} ${stack.name}: latency median ${median(m.latency.samples).toFixed(0)} ms, ${m.traffic.fps.toFixed(1)} fps; ${showLoad(m.load)}`);
            }
          } finally {
            await w.stop();
          }
        }
        const after = await machines.linkCounters();
        if (counted && after) link[name] = addTally(link[name], tallyBetween(counted, after));
      }
    }
    const titles = Object.fromEntries(list.map((w) => [w.name, w.title])) as Record<Workload['name'], string>;
    return {
      chromium: browser.version(),
      machines: { mode: machines.mode, description: machines.describe(), emulated: machines.emulated },
      stacks: stacks.map((s) => ({ name: s.name, description: s.description })),
      profiles: plan.profiles.map((p) => LINK_PROFILES[p]),
      titles,
      loadBefore,
      pathRtt,
      link,
      measurements,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch((err: unknown) => log(`cleanup: ${String(err)}`));
  }
}

type StackMeasurement = Omit<Measurement, 'run' | 'profile' | 'workload' | 'stack' | 'first'>;

async function measureStack(stack: Stack, w: Workload, painter: XPainter, display: string, plan: ComparePlan, stages?: StageCollector): Promise<StackMeasurement> {
  const c = await stack.connect();
  const framesBefore = stages?.frames.length ?? 0;
  try {
    await sleep(w.name === 'idle' ? plan.idleWarmupMs : plan.warmupMs);
    const load = LoadWindow.start();
    const changes0 = w.changes;
    const traffic = await measureTraffic(c, plan.measureMs);
    const changesPerSecond = ((w.changes - changes0) / traffic.ms) * 1000;
    const latency = await measureLatency(c.page, painter, plan.latencySamples, stages, plan.latencyBudgetMs);
    const loadSample = load.stop();
    await w.freeze();
    await sleep(plan.settleMs);
    const psnr = await psnrAgainstScreen(c.page, display);
    w.thaw();
    const agentFrames = stages ? countFrames(stages.frames.slice(framesBefore)) : undefined;
    return { firstFrameMs: c.firstFrameMs, traffic, latency, psnr, load: loadSample, changesPerSecond, ...(agentFrames ? { agentFrames } : {}) };
  } finally {
    await c.close();
  }
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(s.length / 2) - 1]!;
}
