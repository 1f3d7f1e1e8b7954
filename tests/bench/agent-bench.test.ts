import { describe, expect, it } from 'vitest';
import { formatAgentTable as formatTable, runAgentBench } from '@fernhilfe/bench';

/**
 * `npm run bench:agent -- --smoke`: the whole benchmark in short windows on a real Xvfb and a headless mutter. It asserts
 * that every part ran and measured something, never how fast (this machine is shared).
 */
describe('npm run bench:agent --smoke', () => {
  it('measures capture both ways and every workload, on X11 and on headless GNOME (Wayland)', async () => {
    const r = await runAgentBench({ smoke: true });
    const table = formatTable(r);
    expect(r.capture.map((c) => c.method)).toEqual(['shm', 'core']);
    expect(r.capture.every((c) => c.medianMs > 0)).toBe(true);
    expect(r.scenarios.map((s) => s.name)).toEqual(['idle desktop (nothing changes)', 'idle desktop (ticking clock)', 'typing in a terminal', 'dragged window', 'full-screen motion']);
    // nothing changes, nothing is sent (at most the start's keyframe and its sharp refresh, if they fall late)
    expect(r.scenarios[0]!.frames, table).toBeLessThanOrEqual(2);
    const motion = r.scenarios.find((s) => s.name === 'full-screen motion')!;
    expect(motion.frames, table).toBeGreaterThan(0);
    expect(motion.cpuTotal, table).toBeGreaterThan(0);
    expect(motion.encodeMsMedian, table).toBeGreaterThan(0);
    expect(table).toContain('| full-screen motion |');
    // the Wayland row on headless GNOME (mutter is installed here, so it must have run)
    const wl = r.wayland;
    expect(wl?.available, table).toBe(true);
    if (!wl?.available) return;
    expect(wl.workloads.map((w) => w.name)).toEqual(['idle desktop (nothing changes)', 'terminal printing 10 lines/s', 'full-screen terminal scrolling']);
    expect(wl.workloads.every((w) => w.runs.length === 1)).toBe(true);
    const [idle, lines, scroll] = wl.workloads.map((w) => w.runs[0]!);
    // a still GNOME desktop: at most the start's keyframe and its sharp refresh
    expect(idle!.frames, table).toBeLessThanOrEqual(2);
    for (const moving of [lines!, scroll!]) {
      expect(moving.frames, table).toBeGreaterThan(0);
      expect(moving.videoBytesPerSec, table).toBeGreaterThan(0);
      expect(moving.cpuTotal, table).toBeGreaterThan(0);
      expect(moving.encodeMsMedian, table).toBeGreaterThan(0);
    }
    expect(table).toMatch(/\| full-screen terminal scrolling: [^|]+ \| \d+\.\d \| \d+\.\d \| \d+\.\d \|/);
  }, 300_000);
});
