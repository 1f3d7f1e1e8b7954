import { launchHeadless, XPainter, startXvfb } from '@fernhilfe/testkit';
import type { Summary } from '../stats.js';
import { FernhilfeStack } from './fernhilfe.js';
import { measureLatency, measureTraffic, sleep, type Traffic } from './measure.js';
import { psnrAgainstScreen } from './quality.js';
import { StageCollector, countFrames, stageTable, type AgentFrameCounts, type StageBreakdown } from './stages.js';
import type { Stack } from './stack.js';
import { NoVncStack } from './vnc.js';
import { workloads, type Workload } from './workloads.js';

export interface ComparePlan {
  smoke: boolean;
  /** workload running before anything is measured */
  warmupMs: number;
  measureMs: number;
  latencySamples: number;
  /** how long the screen is held still before the picture-quality sample */
  settleMs: number;
  /** run only the workload of this name (idle, typing, drag, animation) */
  only?: string;
}

export function comparePlan(smoke: boolean): ComparePlan {
  return smoke
    ? { smoke, warmupMs: 500, measureMs: 1_500, latencySamples: 3, settleMs: 800 }
    : // 8 s of warm-up: a fresh agent's start-up (compile, first GCs, encoder set-up) is not the workload's cost
      { smoke, warmupMs: 8_000, measureMs: 15_000, latencySamples: 30, settleMs: 1_500 };
}

export interface StackResult {
  stack: Stack['name'];
  firstFrameMs: number;
  traffic: Traffic;
  latency: Summary & { asked: number; stages?: StageBreakdown[] };
  /** PSNR of the viewer's canvas against the X screen, screen held still, dB */
  psnr: number;
  /** Fernhilfe: what the agent sent while connected (frames, keyframes, sharp still pictures) */
  agentFrames?: AgentFrameCounts;
}

export interface WorkloadResult {
  workload: Workload['name'];
  title: string;
  /** screen changes per second the workload made while measured */
  changesPerSecond: number;
  results: StackResult[];
}

export interface CompareResults {
  chromium: string;
  stacks: Array<{ name: string; description: string }>;
  workloads: WorkloadResult[];
}

const progress = (s: string) => process.stderr.write(`bench: ${s}\n`);

/**
 * One Xvfb at 1920x1080; for each workload, both stacks in turn against the same running screen:
 * connect (time to first picture), measure frames, bytes and CPU, glass-to-glass latency, then
 * hold the screen still and compare the viewer's picture with the X screen. Everything started
 * here is stopped before this returns or throws.
 */
export async function runCompare(plan: ComparePlan): Promise<CompareResults> {
  const closers: Array<() => Promise<unknown>> = [];
  try {
    progress('starting Xvfb, the Fernhilfe server, x11vnc + proxy, headless Chromium');
    const xvfb = await startXvfb({ width: 1920, height: 1080 });
    closers.push(() => xvfb.stop());
    const painter = await XPainter.open(xvfb.display);
    // the bench customer sends its frames' stage times here (stages.ts); the child inherits the address
    const stages = await StageCollector.open();
    closers.push(async () => stages.close());
    process.env.FERNHILFE_BENCH_STAGES = stages.address;
    closers.push(async () => painter.close());
    const browser = await launchHeadless();
    closers.push(() => browser.close());
    const fernhilfe = await FernhilfeStack.start(xvfb.name, browser);
    closers.push(() => fernhilfe.stop());
    const novnc = await NoVncStack.start(xvfb.name, browser);
    closers.push(() => novnc.stop());
    const stacks: Stack[] = [fernhilfe, novnc];

    const out: WorkloadResult[] = [];
    for (const w of workloads({ display: xvfb.name, painter }).filter((x) => !plan.only || x.name === plan.only)) {
      progress(`${w.title}`);
      await w.start();
      try {
        const results: StackResult[] = [];
        const changes0 = w.changes;
        const t0 = performance.now();
        for (const stack of stacks) results.push(await measureStack(stack, w, painter, xvfb.name, plan, stack === fernhilfe ? stages : undefined));
        out.push({ workload: w.name, title: w.title, changesPerSecond: ((w.changes - changes0) / (performance.now() - t0)) * 1000, results });
      } finally {
        await w.stop();
      }
    }
    for (const w of out) {
      const f = w.results.find((r) => r.stack === 'Fernhilfe');
      if (f?.latency.stages) process.stdout.write(`\n${stageTable(w.title, f.latency.stages, f.latency.p50, f.agentFrames)}\n`);
    }
    return { chromium: browser.version(), stacks: stacks.map((s) => ({ name: s.name, description: s.description })), workloads: out };
  } finally {
    for (const close of closers.reverse()) await close().catch((err: unknown) => progress(`cleanup: ${String(err)}`));
  }
}

async function measureStack(stack: Stack, w: Workload, painter: XPainter, display: string, plan: ComparePlan, stages?: StageCollector): Promise<StackResult> {
  progress(`  ${stack.name}: connect`);
  const c = await stack.connect();
  const framesBefore = stages?.frames.length ?? 0;
  try {
    await sleep(plan.warmupMs);
    progress(`  ${stack.name}: ${plan.measureMs / 1000} s of frames, bytes, CPU`);
    const traffic = await measureTraffic(c, plan.measureMs);
    progress(`  ${stack.name}: ${plan.latencySamples} latency markers`);
    const latency = await measureLatency(c.page, painter, plan.latencySamples, stages);
    await w.freeze();
    await sleep(plan.settleMs);
    const psnr = await psnrAgainstScreen(c.page, display);
    w.thaw();
    const agentFrames = stages ? countFrames(stages.frames.slice(framesBefore)) : undefined;
    return { stack: stack.name, firstFrameMs: c.firstFrameMs, traffic, latency, psnr, ...(agentFrames ? { agentFrames } : {}) };
  } finally {
    await c.close();
  }
}
