import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CaptureCost } from './capture-costs.js';
import type { ScenarioResult } from './measure.js';
import type { WaylandRow } from './wl-bench.js';
import { formatWaylandSection } from './wl-report.js';

export interface AgentBenchReport {
  when: string;
  smoke: boolean;
  screen: string;
  capture: CaptureCost[];
  scenarios: ScenarioResult[];
  /** host load while nothing of ours ran, % of one core (others' work on this shared machine) */
  hostLoadBefore: number;
  /** seconds each workload ran before measuring (older reports: 8) */
  warmupS?: number;
  /** the same on headless GNOME (wl-bench.ts); absent in older reports and with --platform x11 */
  wayland?: WaylandRow;
}

const f1 = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1));
const rate = (bps: number) => (bps >= 1024 * 1024 ? `${(bps / 1024 / 1024).toFixed(2)} MiB/s` : bps >= 1024 ? `${(bps / 1024).toFixed(1)} KiB/s` : `${Math.round(bps)} B/s`);

export function formatTable(r: AgentBenchReport): string {
  const lines = [
    `Agent screen benchmark (${r.screen}${r.smoke ? ', SMOKE run: short windows, figures rough' : ''}), ${r.when}`,
    `host busy before the run (other processes): ${r.hostLoadBefore.toFixed(0)} % of one core`,
    '',
    '| capture, full 1920x1080 frame | median | p90 |',
    '|---|---|---|',
    ...r.capture.map((c) => `| ${c.method === 'shm' ? 'MIT-SHM GetImage' : 'core GetImage'} (${c.grabs} grabs) | ${f1(c.medianMs)} ms | ${f1(c.p90Ms)} ms |`),
    '',
    '| workload | frames/s | video | cursor msgs | agent CPU (node + encoder) | grab ms (median) | encode ms (median / p90) | of which convert + write ms | still-tier frames |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.scenarios.map(
      (s) =>
        `| ${s.name} | ${f1(s.fps)} | ${rate(s.videoBytesPerSec)} | ${rate(s.controlBytesPerSec)} | ${f1(s.cpuTotal)} % (${f1(s.cpuAgent)} + ${f1(s.cpuEncoder)}) | ${f1(s.grabMsMedian)} | ${f1(s.encodeMsMedian)} / ${f1(s.encodeMsP90)} | ${f1(s.writeMsMedian)} | ${s.stillFrames ?? '–'} |`,
    ),
    '',
    'Goals: idle desktop ≤ 1 % of a core and ~0 B/s (the desktop where nothing changes; the ticking clock is',
    '`npm run bench`\'s idle workload, where the same 1 % is asked); 30 fps of full motion at ≤ 60 % of one core.',
    'CPU in % of one core from /proc/<pid>/stat of the agent process and its fernhilfe-encoder children; the viewer',
    'acknowledges every frame at once (in-process), so this is capture + encode without network or crypto.',
    `Each workload: a fresh agent, ${r.warmupS ?? 8} s of warm-up (its start-up is not the workload's cost), then 20 s measured.`,
    ...(r.wayland ? ['', formatWaylandSection(r.wayland)] : []),
  ];
  return lines.join('\n');
}

export function writeReport(r: AgentBenchReport, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'agent.json'), JSON.stringify(r, null, 2) + '\n');
  writeFileSync(path.join(dir, 'agent.md'), `# Agent screen benchmark\n\n\`npm run bench:agent\`\n\n${formatTable(r)}\n`);
}
