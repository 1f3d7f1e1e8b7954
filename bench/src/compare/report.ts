import { findCell, spread, type Cell } from './cells.js';
import { fmt, ratio, showRatio, withSpread } from './format.js';
import { goalRows, goalsTable } from './goals.js';
import { showTally } from './link-counters.js';
import { showLoad } from './load.js';
import type { LinkProfile } from './net/index.js';
import { PINGS } from './path-rtt.js';
import type { CompareResults } from './run.js';
import { stageTable } from './stages.js';
import type { Workload } from './workloads.js';

/**
 * The printed report of `npm run bench`: per profile one table (every workload and metric, both stacks,
 * median [min–max of the runs]), the goals of issue 17, the machine's load, and Fernhilfe's latency by
 * stage. bench/results/compare.md is exactly this text with a title and the method.
 */
const METRICS: Array<[string, (c: Cell) => string]> = [
  ['glass-to-glass latency, median [run medians]', (c) => withSpread(c.latency, fmt.ms, c.runs)],
  ['glass-to-glass latency, p95 (markers seen / asked)', (c) => `${fmt.ms(c.latency.p95)} (${c.latency.seen}/${c.latency.asked})`],
  ['frames per second at the viewer', (c) => withSpread(c.fps, fmt.fps, c.runs)],
  ['bytes on the wire to the viewer', (c) => withSpread(c.bytesPerSecond, fmt.kbs, c.runs)],
  ['picture quality (PSNR, screen held still)', (c) => withSpread(c.psnr, fmt.db, c.runs)],
  ['longest stall between drawn pictures', (c) => withSpread(c.stallMs, fmt.ms, c.runs)],
  ['CPU, capturing side (% of one core)', (c) => withSpread(c.captureCpu, fmt.pct, c.runs)],
  ['CPU, server / proxy (% of one core)', (c) => withSpread(c.relayCpu, fmt.pct, c.runs)],
  ['connect to first picture', (c) => withSpread(c.firstFrameMs, fmt.ms, c.runs)],
];
const RATIO_OF: Record<string, (c: Cell) => number> = {
  'glass-to-glass latency, median [run medians]': (c) => c.latency.median,
  'frames per second at the viewer': (c) => c.fps.median,
  'bytes on the wire to the viewer': (c) => c.bytesPerSecond.median,
  'longest stall between drawn pictures': (c) => c.stallMs.median,
  'CPU, capturing side (% of one core)': (c) => c.captureCpu.median,
};

export function describeProfile(p: LinkProfile): string {
  if (p.upKbit === undefined && p.delayMs === 0 && p.lossPct === 0) return `${p.name}: no emulation`;
  const rate = p.upKbit ? `up ${p.upKbit / 1000} Mbit/s, down ${(p.downKbit ?? 0) / 1000} Mbit/s, ` : '';
  return `${p.name}: ${rate}${p.delayMs} ms${p.jitterMs ? ` ± ${p.jitterMs} ms` : ''} one way, ${p.lossPct} % loss each way`;
}

function profileTable(r: CompareResults, all: readonly Cell[], p: LinkProfile): string {
  const rtts = r.pathRtt[p.name] ?? [];
  const rtt = spread(rtts.map((x) => x.p50));
  const lines = [
    `### ${describeProfile(p)}${p.name !== 'lan' && !r.machines.emulated ? ' (NOT applied: no link emulator in this run)' : ''}`,
    '',
    `path RTT (technician's Chromium → customer's side and back, WebSocket, median of ${PINGS}): ${withSpread(rtt, fmt.ms, rtts.length)}`,
    '',
    ...(r.link[p.name] ? [`emulated link while this profile was set (all runs): ${showTally(r.link[p.name]!)}`, ''] : []),
    '| workload: metric | Fernhilfe | noVNC | Fernhilfe / noVNC |',
    '|---|---|---|---|',
  ];
  for (const w of Object.keys(r.titles) as Array<Workload['name']>) {
    const f = findCell(all, p.name, w, 'Fernhilfe');
    const n = findCell(all, p.name, w, 'noVNC');
    if (!f || !n) continue;
    for (const [label, show] of METRICS) {
      const get = RATIO_OF[label];
      lines.push(`| ${r.titles[w]}: ${label} | ${show(f)} | ${show(n)} | ${get ? showRatio(ratio(get(f), get(n))) : '–'} |`);
    }
    lines.push(`| ${r.titles[w]}: latency median − path RTT | ${fmt.ms(f.latency.median - rtt.median)} | ${fmt.ms(n.latency.median - rtt.median)} | – |`);
  }
  return lines.join('\n');
}

function loadTable(r: CompareResults): string {
  const lines = [
    `Machine before the run (2 s): ${showLoad(r.loadBefore)}.`,
    '',
    'During the measurements (frames/bytes/CPU window + latency markers; median [min–max] over both stacks and all runs):',
    '',
    '| profile | workload | load average (1 min) | machine busy | core 0 busy | core 1 busy | CPU of processes not the bench\'s own (% of one core) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const p of r.profiles) {
    for (const w of Object.keys(r.titles) as Array<Workload['name']>) {
      const ms = r.measurements.filter((m) => m.profile === p.name && m.workload === w);
      if (ms.length === 0) continue;
      const s = (get: (l: (typeof ms)[number]['load']) => number | undefined, show: (v: number) => string) => withSpread(spread(ms.map((m) => get(m.load) ?? Number.NaN)), show, ms.length);
      const num = (v: number) => v.toFixed(2);
      lines.push(`| ${p.name} | ${w} | ${s((l) => l.loadavg1, num)} | ${s((l) => l.busyPct, fmt.pct)} | ${s((l) => l.corePct[0], fmt.pct)} | ${s((l) => l.corePct[1], fmt.pct)} | ${s((l) => l.othersPct, fmt.pct)} |`);
    }
  }
  return lines.join('\n');
}

/** Everything the command prints on stdout, in order. */
export function compareReport(r: CompareResults, all: readonly Cell[], runs: number): string {
  const stages = r.profiles.flatMap((p) =>
    (Object.keys(r.titles) as Array<Workload['name']>).flatMap((w) => {
      const f = findCell(all, p.name, w, 'Fernhilfe');
      return f && f.stages.length ? [stageTable(`${r.titles[w]}, ${p.name}`, f.stages, f.latency.median), ''] : [];
    }),
  );
  return [
    `${r.machines.description}.`,
    '',
    `${runs} run(s), interleaved (each run: each profile, each workload, both stacks, the first stack alternating); figures are the median [min–max of the per-run values]; latency pools the markers of all runs.`,
    '',
    '## Goals (issue 17)',
    '',
    goalsTable(goalRows(r, all)),
    '',
    '## By profile',
    '',
    ...r.profiles.flatMap((p) => [profileTable(r, all, p), '']),
    '## The machine\'s load',
    '',
    loadTable(r),
    '',
    '## Where Fernhilfe\'s latency goes (markers of all runs)',
    '',
    ...stages,
  ].join('\n');
}

export const COMPARE_METHOD = `## How each figure was measured
- Two machines on one (default): the customer's side (Xvfb 1920x1080x24, its X clients, the bench customer = the agent's screen
  pipeline with fernhilfe-encoder; x11vnc for the baseline) in one network namespace pinned to core 0; the technician's Chromium
  (headless) in another, pinned to core 1; the Fernhilfe server and noVNC's WebSocket proxy in the root namespace ("the internet"),
  pinned to core 1 with the technician, so core 0 is the customer's alone. Only the customer's link (customer namespace ↔ root)
  is emulated per profile (tools/testkit netlab, docs/benchmarks.md); the technician's link is a plain veth. \`--colocated\`: all
  in the root namespace on 127.0.0.1, unpinned, lan only.
- Runs: each workload runs \`--runs\` times (default 3) per stack and profile, interleaved; each measurement connects anew (Fernhilfe:
  a new customer with the agent's capture + H.264 pipeline, the console connects with the new ID and password; noVNC: a new viewer
  page on the running x11vnc), warms up (2.5 s; the idle desktop 20 s, so its CPU is the steady state and not the new
  process's start-up), then measures. Per cell the median pools all markers of all runs; the spread is the min–max
  of the per-run values. The JSON holds every measurement.
- Latency: a marker square in the bottom-left corner is painted on the X screen in a new colour; the time from just before the
  paint request to the viewer's first canvas draw that shows it (init script hooks drawImage), same clock.
- Path RTT: a WebSocket echo on the customer's side pinged from a blank page in the technician's Chromium (crosses both links),
  median of 20 after two warm-up pings, once per profile and run.
- Frames per second: drawImage calls on the viewer canvas. Longest stall: the largest gap between two drawn pictures during the
  frames/bytes window while the workload changes the screen (the idle clock changes once a second).
- Bytes: payload bytes to the viewer (Fernhilfe: WebSocket messages the console received, encrypted; noVNC: RFB bytes the proxy passed).
- Quality: the workload is held still, then the viewer canvas (PNG) is compared with \`import -window root\` by ImageMagick PSNR.
- CPU: /proc utime+stime of the capturing side (Fernhilfe: the bench customer and its encoder children; noVNC: x11vnc) and of the
  middle (Fernhilfe server; the WebSocket proxy) over the frames/bytes window, in % of one core.
- Load: /proc/loadavg, /proc/stat (whole machine and per core) and the CPU of every process outside the bench's process tree,
  before the run and over each measurement.`;
