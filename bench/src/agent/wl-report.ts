import type { ScenarioResult } from './measure.js';
import type { WaylandRow } from './wl-bench.js';
import { spread } from './win-report.js';

/** The Wayland section of the agent benchmark's table: median [min–max] over the runs of each workload. */
export function formatWaylandSection(row: WaylandRow): string {
  if (!row.available) return ['## Wayland (headless GNOME)', '', `Not measured: ${row.why}`].join('\n');
  const of = (runs: ScenarioResult[], pick: (s: ScenarioResult) => number | undefined, digits = 1) => spread(runs.map(pick).filter((n): n is number => n !== undefined), digits);
  const runs = Math.max(0, ...row.workloads.map((w) => w.runs.length));
  return [
    `## Wayland (${row.screen})`,
    '',
    `host busy before the Wayland runs (other processes): ${row.hostLoadBefore.toFixed(0)} % of one core; ${runs} run(s) per workload, interleaved; median [min–max] over runs`,
    '',
    '| workload | frames/s | video KiB/s | agent CPU % (node + encoder) | node % | encoder % | grab ms (median) | encode ms (median) |',
    '|---|---|---|---|---|---|---|---|',
    ...row.workloads.map(
      (w) =>
        `| ${w.name}: ${w.description} | ${of(w.runs, (s) => s.fps)} | ${of(w.runs, (s) => s.videoBytesPerSec / 1024)} | ${of(w.runs, (s) => s.cpuTotal)} | ${of(w.runs, (s) => s.cpuAgent)} | ${of(w.runs, (s) => s.cpuEncoder)} | ${of(w.runs, (s) => s.grabMsMedian)} | ${of(w.runs, (s) => s.encodeMsMedian)} |`,
    ),
    '',
    'The agent (a fresh process per run) picks the Wayland platform from the session: mutter\'s ScreenCast stream',
    'through PipeWire and the system\'s GStreamer (koffi), then the bundled encoder. CPU is the agent\'s own (node +',
    'fernhilfe-encoder), not mutter\'s or PipeWire\'s. Mutter repeats the last frame once a second (keepalive): the',
    'agent drops a repeat without encoding it.',
    `Each run: ${row.warmupS} s of warm-up, then ${row.windowS} s measured.`,
  ].join('\n');
}
