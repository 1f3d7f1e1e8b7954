import type { BrowserBenchPlan, BrowserBenchResults, Cpu } from './browser-run.js';
import type { Row } from './report.js';

const info = (metric: string, value: string): Row => ({ metric, value, goal: '–', met: '–' });
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : 'n/a');
const pct = (v: number) => `${v.toFixed(0)} %`;
const cpu = (c: Cpu) => `${pct(c.renderer)} / ${pct(c.total)} of one core`;

export function browserRows(plan: BrowserBenchPlan, r: BrowserBenchResults): Row[] {
  const { motion, idle, latency } = r;
  return [
    info('Screen, codec (console decoder config)', `${r.screen.width}x${r.screen.height}, ${r.codec || 'unknown'}`),
    info('Share click → first frame on the console canvas', ms(r.firstFrameMs)),
    info('Frames drawn on the console per second, moving square', `${motion.framesPerSecond.toFixed(1)} fps (screen changed ${motion.screenChangesPerSecond.toFixed(1)}/s)`),
    info('Received by the console, moving square', `${motion.kbitPerSecond.toFixed(0)} kbit/s`),
    info('Frames drawn per second, still screen', `${idle.framesPerSecond.toFixed(1)} fps`),
    info('Received by the console, still screen', `${idle.kbitPerSecond.toFixed(1)} kbit/s`),
    info(`Latency screen change → console canvas p50 / p95 (${latency.count} of ${latency.asked} changes seen)`, `${ms(latency.p50)} / ${ms(latency.p95)}`),
    info('Latency max', ms(latency.max)),
    info('Customer Chromium CPU, moving: renderer (the tab) / all its processes', cpu(motion.customerCpu)),
    info('Customer Chromium CPU by process, moving: browser / GPU / utility', `${pct(motion.customerCpu.browser)} / ${pct(motion.customerCpu.gpu)} / ${pct(motion.customerCpu.utility)}`),
    info('Customer Chromium CPU, still: renderer / all', cpu(idle.customerCpu)),
    info('Console Chromium CPU, moving: renderer / all', cpu(motion.consoleCpu)),
    info('Xvfb / server CPU, moving', `${pct(motion.xvfbCpu)} / ${pct(motion.serverCpu)} of one core`),
    info("Console's own quality indicator after the moving phase", motion.qualityText || 'n/a'),
    info('Run', `${plan.smoke ? 'smoke' : 'full'}: moving ${plan.motionMs / 1000} s after ${plan.warmupMs / 1000} s warm-up, still ${plan.idleMs / 1000} s, Chromium ${r.chromium}`),
  ];
}

export const BROWSER_METHOD = `How each figure was measured
- The real server (\`fernhilfe start\`, a child process with a fresh SQLite directory and one technician). The customer's
  page runs in a normal (headed) Debian Chromium on Xvfb 1920x1080x24 (RANDR off, see tools/testkit/src/xvfb.ts), window 480x360 at
  1420,700, sharing the entire screen through \`--auto-select-desktop-capture-source\`; the console runs in headless
  Chromium (1600x1000 viewport) on the same host. Both are driven by Playwright through the data-testid contract only.
- The X screen is painted by a tiny X11 client in the bench (PolyFillRectangle on the root window, then a round trip, so the
  time the server drew is known). Moving: a 320x240 square slides across the upper half at 600 px/s, changing colour,
  repainted 30 times a second. Still: nothing is painted.
- Counters are injected into the pages before their own scripts (Playwright init script, outside the app): frames = calls
  of drawImage onto the canvas with data-testid="viewer-canvas"; kbit/s = bytes of every WebSocket message the console
  received (video plus control, after the relay) × 8 / ms; codec = what the console's VideoDecoder was configured with.
- Latency: with the screen still, a 400x300 marker is painted in alternating colours at random 250–500 ms intervals; the time
  runs from just before the paint request to the console's first drawImage after which the canvas pixel at the marker's
  centre is within ${40} per channel of the colour (checked inside the page right after each draw; both clocks are the same
  host's). Nearest-rank percentiles; a change not seen within 3 s is left out (the count says how many were seen).
- CPU: utime + stime from /proc/<pid>/stat over the phase, divided by wall time (100 % = one core). The customer's browser
  process is found by a marker switch on its command line, its renderer(s), GPU and utility processes as its descendants
  classed by --type; "renderer" is the tab (capture track processing, VideoEncoder, WebSocket), "all" adds the browser
  process (screen capture runs there), GPU and utility processes. Same for the console's Chromium.`;
