import { existsSync } from 'node:fs';
import path from 'node:path';
import { hostLoadPercent, retryUntil, startMutter, stopChild, type MutterDesktop } from '@fernhilfe/testkit';
import { measureScenario, type ScenarioResult } from './measure.js';
import type { Workload } from './workloads.js';
import { BenchError } from '../errors.js';

/** The Wayland row of `npm run bench:agent`: each workload measured `runs` times (the report gives median and spread). */
export type WaylandRow =
  | { available: true; screen: string; hostLoadBefore: number; warmupS: number; windowS: number; workloads: Array<{ name: string; description: string; runs: ScenarioResult[] }> }
  | { available: false; why: string };

const SCREEN = { width: 1280, height: 720 };

/** A foot terminal in the session running `script` (sh); ready once the script has written its marker file. */
async function foot(desktop: MutterDesktop, name: string, footArgs: string[], script: string): Promise<{ stop(): Promise<void> }> {
  const marker = path.join(desktop.dir, `${name}.ready`);
  const child = desktop.start('foot', [...footArgs, 'sh', '-c', `echo > ${marker}; ${script}`]);
  await retryUntil(() => {
    if (child.exitCode !== null) throw new BenchError('process', `foot ended at start (its log: ${path.join(desktop.dir, 'foot.log')})`);
    if (!existsSync(marker)) throw new BenchError('timeout', `foot did not start its shell within 15 s (${name})`);
  }, 15_000);
  return { stop: () => stopChild(child) };
}

/** What a person does on a GNOME desktop, as far as a headless mutter can show it (foot is the only window it runs here). */
export function waylandWorkloads(desktop: MutterDesktop): Workload[] {
  return [
    { name: 'idle desktop (nothing changes)', description: 'the plain GNOME background, nothing running', start: () => Promise.resolve({ stop: async () => undefined }) },
    {
      name: 'terminal printing 10 lines/s',
      description: 'foot (default size) printing the time 10 times a second',
      start: () => foot(desktop, 'lines', [], 'while :; do date +%T.%N; sleep 0.1; done'),
    },
    {
      name: 'full-screen terminal scrolling',
      description: 'foot full-screen printing 60 new numbered lines every 30 ms (the whole screen changes)',
      // new numbers every time: the same 60 lines again would leave the picture unchanged
      start: () => foot(desktop, 'scroll', ['--fullscreen'], 'i=0; while :; do i=$((i + 60)); seq $i $((i + 59)); sleep 0.03; done'),
    },
  ];
}

/**
 * The agent's screen path on headless GNOME (mutter 1280x720 + PipeWire, tests' session helper):
 * the same child and figures as the X11 rows (measure.ts), the agent picking the Wayland platform
 * from the session's variables. Where mutter cannot start (not installed, no PipeWire) the row says
 * why and the bench goes on.
 */
export async function runWaylandRow(opts: { smoke: boolean; warmupMs: number; runs?: number; only?: string }): Promise<WaylandRow> {
  const hostLoadBefore = await hostLoadPercent(opts.smoke ? 300 : 1000);
  let desktop: MutterDesktop;
  try {
    desktop = await startMutter({ monitors: [`${SCREEN.width}x${SCREEN.height}`] });
  } catch (err) {
    return { available: false, why: `headless mutter did not start: ${err instanceof Error ? err.message : String(err)}` };
  }
  const windowMs = opts.smoke ? 1500 : 20_000;
  try {
    // the session's variables, but this user's HOME and cache (where the built fernhilfe-encoder is)
    const { HOME: _home, XDG_CACHE_HOME: _cache, ...session } = desktop.env;
    const env = { ...process.env, ...session } as Record<string, string>;
    const workloads = waylandWorkloads(desktop).filter((w) => !opts.only || w.name.includes(opts.only));
    const results = workloads.map((w) => ({ name: w.name, description: w.description, runs: [] as ScenarioResult[] }));
    // readyMs: the agent's start (module compile, GStreamer's plug-in scan, mutter's session) took > 15 s on the loaded test machine
    // runs interleaved: a burst of the others' load on this shared machine spreads over the workloads
    for (let run = 0; run < (opts.runs ?? (opts.smoke ? 1 : 3)); run++) {
      for (const [i, w] of workloads.entries()) {
        results[i]!.runs.push(await measureScenario('session', w, { warmupMs: opts.warmupMs, windowMs, env, readyMs: 60_000 }));
      }
    }
    return { available: true, screen: `headless mutter ${SCREEN.width}x${SCREEN.height} (PipeWire, GStreamer pipewiresrc)`, hostLoadBefore, warmupS: opts.warmupMs / 1000, windowS: windowMs / 1000, workloads: results };
  } finally {
    await desktop.stop();
  }
}
