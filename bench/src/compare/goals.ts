import { findCell, type Cell } from './cells.js';
import type { LinkProfileName } from './net/index.js';
import type { CompareResults } from './run.js';
import { fmt, ratio, showRatio } from './format.js';
import { median } from './run.js';
import type { Workload } from './workloads.js';

/** The goals of issue 17, each marked met / NO from one run's cells (both stacks side by side). */
export interface GoalRow {
  profile: LinkProfileName;
  goal: string;
  fernhilfe: string;
  novnc: string;
  ratio: string;
  met: string;
}

const MOVING: Array<Workload['name']> = ['drag', 'animation'];

export function goalRows(r: CompareResults, all: readonly Cell[]): GoalRow[] {
  const rows: GoalRow[] = [];
  const profiles = r.profiles.map((p) => p.name);
  const verdict = (profile: LinkProfileName, ok: boolean) => (profile !== 'lan' && !r.machines.emulated ? 'n/a (link not emulated)' : ok ? 'met' : 'NO');
  const pair = (profile: LinkProfileName, w: Workload['name']) => {
    const f = findCell(all, profile, w, 'Fernhilfe');
    const n = findCell(all, profile, w, 'noVNC');
    return f && n ? { f, n } : undefined;
  };
  const title = (w: Workload['name']) => r.titles[w] ?? w;

  for (const w of ['idle', 'typing', 'drag', 'animation'] as const) {
    const c = profiles.includes('lan') ? pair('lan', w) : undefined;
    if (!c) continue;
    const limit = MOVING.includes(w) ? 0.7 : 1;
    const q = ratio(c.f.latency.median, c.n.latency.median);
    rows.push({ profile: 'lan', goal: `${title(w)}: latency median ≤ ${limit === 1 ? "noVNC's" : `${limit}x noVNC's`}`, fernhilfe: fmt.ms(c.f.latency.median), novnc: fmt.ms(c.n.latency.median), ratio: showRatio(q), met: verdict('lan', q <= limit) });
  }
  for (const profile of ['dsl', 'lte'] as const) {
    if (!profiles.includes(profile)) continue;
    for (const w of MOVING) {
      const c = pair(profile, w);
      if (!c) continue;
      const q = ratio(c.f.latency.median, c.n.latency.median);
      rows.push({ profile, goal: `${title(w)}: latency median ≤ 0.5x noVNC's`, fernhilfe: fmt.ms(c.f.latency.median), novnc: fmt.ms(c.n.latency.median), ratio: showRatio(q), met: verdict(profile, q <= 0.5) });
      const fq = ratio(c.f.fps.median, c.n.fps.median);
      rows.push({ profile, goal: `${title(w)}: frames/s ≥ 2x noVNC's`, fernhilfe: fmt.fps(c.f.fps.median), novnc: fmt.fps(c.n.fps.median), ratio: showRatio(fq), met: verdict(profile, fq >= 2) });
    }
    // deliverable 4: within 100 ms of the path's own (one-way) delay, taken as half the measured path RTT
    const oneWay = median((r.pathRtt[profile] ?? []).map((p) => p.p50)) / 2;
    for (const w of ['typing', 'drag', 'animation'] as const) {
      const c = pair(profile, w);
      if (!c) continue;
      rows.push({
        profile,
        goal: `${title(w)}: latency median ≤ path delay (RTT/2 = ${fmt.ms(oneWay)}) + 100 ms`,
        fernhilfe: fmt.ms(c.f.latency.median),
        novnc: fmt.ms(c.n.latency.median),
        ratio: showRatio(ratio(c.f.latency.median, c.n.latency.median)),
        met: verdict(profile, c.f.latency.median <= oneWay + 100),
      });
    }
  }
  if (profiles.includes('bad')) {
    for (const w of ['typing', 'drag', 'animation'] as const) {
      const c = pair('bad', w);
      if (!c) continue;
      rows.push({ profile: 'bad', goal: `${title(w)}: longest stall ≤ 1 s (Fernhilfe; noVNC's as it is)`, fernhilfe: fmt.ms(c.f.stallMs.max), novnc: fmt.ms(c.n.stallMs.max), ratio: showRatio(ratio(c.f.stallMs.max, c.n.stallMs.max)), met: verdict('bad', c.f.stallMs.max <= 1000) });
    }
  }
  const typing = profiles.includes('dsl') ? pair('dsl', 'typing') : undefined;
  if (typing) {
    const { f, n } = typing;
    const q = ratio(f.bytesPerSecond.median, n.bytesPerSecond.median);
    rows.push({
      profile: 'dsl',
      goal: `${title('typing')}: bytes ≤ 0.5x noVNC's at ≥ its PSNR`,
      fernhilfe: `${fmt.kbs(f.bytesPerSecond.median)}, ${fmt.db(f.psnr.median)}`,
      novnc: `${fmt.kbs(n.bytesPerSecond.median)}, ${fmt.db(n.psnr.median)}`,
      ratio: showRatio(q),
      met: verdict('dsl', q <= 0.5 && f.psnr.median >= n.psnr.median),
    });
  }
  const idle = profiles.includes('lan') ? pair('lan', 'idle') : undefined;
  if (idle) {
    rows.push({ profile: 'lan', goal: `${title('idle')}: capturing side ≤ 1 % of a core (Fernhilfe)`, fernhilfe: fmt.pct(idle.f.captureCpu.median), novnc: fmt.pct(idle.n.captureCpu.median), ratio: showRatio(ratio(idle.f.captureCpu.median, idle.n.captureCpu.median)), met: verdict('lan', idle.f.captureCpu.median <= 1) });
  }
  return rows;
}

export function goalsTable(rows: readonly GoalRow[]): string {
  const head = '| profile | goal | Fernhilfe | noVNC | Fernhilfe / noVNC | met |\n|---|---|---|---|---|---|';
  return [head, ...rows.map((g) => `| ${g.profile} | ${g.goal} | ${g.fernhilfe} | ${g.novnc} | ${g.ratio} | ${g.met} |`)].join('\n');
}
