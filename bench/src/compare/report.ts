import type { Row } from '../report.js';
import type { CompareResults, StackResult, WorkloadResult } from './run.js';

/**
 * The comparison table: one row per workload and metric, Fernhilfe and noVNC side by side, the
 * ratio Fernhilfe / noVNC, and the goal of issue 7 where there is one.
 */
export interface CompareRow extends Row {
  fernhilfe: string;
  novnc: string;
  ratio: string;
}

const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : 'n/a'),
  fps: (v: number) => v.toFixed(1),
  kbs: (v: number) => `${(v / 1000).toFixed(v < 10_000 ? 2 : 0)} kB/s`,
  pct: (v: number) => `${v.toFixed(1)} %`,
  db: (v: number) => `${v.toFixed(1)} dB`,
};
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : Number.NaN);
const showRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

interface Goal {
  text: string;
  ok(f: StackResult, n: StackResult): boolean;
}

function goalsFor(w: WorkloadResult['workload']): Partial<Record<string, Goal>> {
  const goals: Partial<Record<string, Goal>> = {
    latency: { text: '≤ 0.5x', ok: (f, n) => ratio(f.latency.p50, n.latency.p50) <= 0.5 },
  };
  if (w === 'drag' || w === 'animation') goals.fps = { text: '≥ 3x', ok: (f, n) => ratio(f.traffic.fps, n.traffic.fps) >= 3 };
  if (w === 'typing') goals.bytes = { text: '≤ 0.3x at ≥ quality', ok: (f, n) => ratio(f.traffic.bytesPerSecond, n.traffic.bytesPerSecond) <= 0.3 && f.psnr >= n.psnr };
  if (w === 'idle') goals.captureCpu = { text: 'Fernhilfe ≤ 1 %', ok: (f) => f.traffic.captureCpu <= 1 };
  return goals;
}

export function compareRows(r: CompareResults): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const w of r.workloads) {
    const f = w.results.find((x) => x.stack === 'Fernhilfe');
    const n = w.results.find((x) => x.stack === 'noVNC');
    if (!f || !n) continue;
    const goals = goalsFor(w.workload);
    const metrics: Array<[string, string, (s: StackResult) => number, (v: number) => string]> = [
      ['latency', 'glass-to-glass latency, median', (s) => s.latency.p50, fmt.ms],
      ['latencyP95', 'glass-to-glass latency, p95', (s) => s.latency.p95, fmt.ms],
      ['fps', 'frames per second at the viewer', (s) => s.traffic.fps, fmt.fps],
      ['bytes', 'bytes on the wire to the viewer', (s) => s.traffic.bytesPerSecond, fmt.kbs],
      ['psnr', 'picture quality (PSNR, screen held still)', (s) => s.psnr, fmt.db],
      ['captureCpu', 'CPU, capturing side (% of one core)', (s) => s.traffic.captureCpu, fmt.pct],
      ['relayCpu', 'CPU, server / proxy (% of one core)', (s) => s.traffic.relayCpu, fmt.pct],
      ['firstFrame', 'connect to first picture', (s) => s.firstFrameMs, fmt.ms],
    ];
    for (const [key, label, get, show] of metrics) {
      const goal = goals[key];
      rows.push({
        metric: `${w.title}: ${label}`,
        fernhilfe: show(get(f)),
        novnc: show(get(n)),
        ratio: showRatio(ratio(get(f), get(n))),
        value: '',
        goal: goal?.text ?? '–',
        met: goal ? met(goal.ok(f, n)) : '–',
      });
    }
  }
  return rows;
}

export function compareTable(rows: CompareRow[]): string {
  const head = '| workload: metric | Fernhilfe | noVNC | Fernhilfe / noVNC | goal | met |\n|---|---|---|---|---|---|';
  return [head, ...rows.map((r) => `| ${r.metric} | ${r.fernhilfe} | ${r.novnc} | ${r.ratio} | ${r.goal} | ${r.met} |`)].join('\n');
}

export const COMPARE_METHOD = `How each figure was measured
- One Xvfb 1920x1080x24; for each workload both stacks in turn against the same running screen; each stack connects anew
  (Fernhilfe: the agent's capture + H.264 pipeline starts as a new customer, the console connects with the new ID and password;
  noVNC: a new viewer page connects to the running x11vnc). Both viewers run in the same headless Chromium.
- Latency: a marker square in the bottom-left corner is painted on the X screen in a new colour; the time from just before the
  paint request to the viewer's first canvas draw that shows it (Playwright init script hooks drawImage), same clock.
- Frames per second: drawImage calls on the viewer canvas (noVNC: one per framebuffer update, Fernhilfe: one per decoded frame).
- Bytes: payload bytes to the viewer (Fernhilfe: WebSocket messages the console received, encrypted; noVNC: RFB bytes the proxy passed).
- Quality: the workload is held still, then the viewer canvas (PNG) is compared with \`import -window root\` by ImageMagick PSNR.
- CPU: /proc utime+stime of the capturing side (Fernhilfe: the agent process and its encoder children; noVNC: x11vnc) and of the middle
  (Fernhilfe server; the WebSocket proxy), over the measured window (15 s, after 8 s of warm-up from the connect: a fresh
  agent's start-up is not the workload's cost), in % of one core.`;
