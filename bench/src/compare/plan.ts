import type { LinkProfileName } from './net/index.js';
import type { Workload } from './workloads.js';

export const ALL_PROFILES: LinkProfileName[] = ['lan', 'dsl', 'lte', 'bad'];
export const ALL_WORKLOADS: Array<Workload['name']> = ['idle', 'typing', 'drag', 'animation'];

export interface ComparePlan {
  smoke: boolean;
  /** everything in the root namespace, unpinned (today's mode before issue 17) */
  colocated: boolean;
  /** each workload this many times per stack and profile, interleaved */
  runs: number;
  profiles: LinkProfileName[];
  workloads: Array<Workload['name']>;
  /** workload running after the connect before anything is measured */
  warmupMs: number;
  /**
   * the idle workload's warm-up: long enough that the CPU window sees the steady state, not the new
   * process's start-up (V8's memory reducer runs its full GCs 8-18 s after start; the first refinements)
   */
  idleWarmupMs: number;
  measureMs: number;
  latencySamples: number;
  /** no new latency marker after this long (a slow link must not stretch the run past its time budget) */
  latencyBudgetMs: number;
  /** how long the screen is held still before the picture-quality sample */
  settleMs: number;
}

export interface PlanOptions {
  smoke?: boolean;
  colocated?: boolean;
  runs?: number;
  profiles?: LinkProfileName[];
  only?: Array<Workload['name']>;
}

/**
 * A full default run: 3 runs × 4 profiles × 4 workloads × 2 stacks = 96 measurements of 2.5 s warm-up (idle: 20 s),
 * 7 s of frames/bytes/CPU and 10 latency markers (at most 8 s) each (30 markers per cell pooled), ~30 minutes on two
 * cores. --smoke: one run of lan + dsl, typing and drag, tiny durations.
 */
export function comparePlan(o: PlanOptions): ComparePlan {
  const smoke = o.smoke ?? false;
  const base = smoke
    ? { runs: 1, profiles: ['lan', 'dsl'] as LinkProfileName[], workloads: ['typing', 'drag'] as Array<Workload['name']>, warmupMs: 300, idleWarmupMs: 300, measureMs: 1_000, latencySamples: 3, latencyBudgetMs: 3_000, settleMs: 400 }
    : { runs: 3, profiles: ALL_PROFILES, workloads: ALL_WORKLOADS, warmupMs: 2_500, idleWarmupMs: 20_000, measureMs: 7_000, latencySamples: 10, latencyBudgetMs: 8_000, settleMs: 600 };
  return {
    ...base,
    smoke,
    colocated: o.colocated ?? false,
    ...(o.runs !== undefined ? { runs: o.runs } : {}),
    ...(o.profiles ? { profiles: o.profiles } : {}),
    ...(o.only ? { workloads: ALL_WORKLOADS.filter((w) => o.only!.includes(w)) } : {}),
  };
}

/** Only a complete run is written to bench/results: not --smoke, every workload and profile, ≥ 3 runs. */
export function isComplete(p: ComparePlan, mode: 'two-machines' | 'colocated'): boolean {
  const profiles = mode === 'colocated' ? p.colocated && p.profiles.length === 1 && p.profiles[0] === 'lan' : ALL_PROFILES.every((x) => p.profiles.includes(x));
  return !p.smoke && p.runs >= 3 && ALL_WORKLOADS.every((w) => p.workloads.includes(w)) && profiles;
}
