import { describe, expect, it } from 'vitest';
import { formatWinAgentTable, runWinAgentBench } from '@fernhilfe/bench';

/**
 * `npm run bench:agent -- --platform win-x64 --smoke`: the Windows capture benchmark in short phases
 * under wine. It asserts that every part ran and measured something, never how fast (this machine
 * is shared, and wine is not Windows).
 */
describe('npm run bench:agent -- --platform win-x64 --smoke', () => {
  it('times full grabs, reads the CPU of each phase, and encodes each of the four workloads', async () => {
    const r = await runWinAgentBench({ smoke: true });
    const table = formatWinAgentTable(r);
    expect(r.runs).toHaveLength(1);
    const run = r.runs[0]!;
    expect(run.method, table).toBe('gdi');
    expect(run.methodReason, table).toMatch(/DuplicateOutput failed|no D3D11 device|no DXGI/);
    expect(run.fullGrabMs.length, table).toBe(5);
    expect(run.fullGrabMs.every((ms) => ms > 0), table).toBe(true);
    // a still desktop gives no frame; the moving block gives frames
    expect(run.idle.frames, table).toBe(0);
    expect(run.motion.frames, table).toBeGreaterThan(0);
    expect(run.motion.node, table).toBeGreaterThan(0);
    // the screen feature with fernhilfe-encoder.exe sends frames of each workload: the encoder made video
    expect(r.encoded.map((e) => e.workload), table).toEqual(['clock', 'typing', 'block', 'full']);
    for (const e of r.encoded) {
      expect(e.fps, `${e.workload}\n${table}`).toBeGreaterThan(0);
      expect(e.videoBytesPerSec, `${e.workload}\n${table}`).toBeGreaterThan(0);
      expect(e.cpuNode, `${e.workload}\n${table}`).toBeGreaterThan(0);
    }
    const by = Object.fromEntries(r.encoded.map((e) => [e.workload, e]));
    // the clock ticked, Notepad holds what was typed, the painters painted
    expect(by.clock!.painter.paints, table).toBeGreaterThanOrEqual(2);
    expect(by.typing!.painter.typed, table).toBeGreaterThan(0);
    // Notepad's Edit control keeps an Enter as CR LF
    expect(by.typing!.painter.notepadChars, table).toBe(by.typing!.painter.typed + by.typing!.painter.enters!);
    expect(by.block!.painter.paints, table).toBeGreaterThan(0);
    expect(by.full!.painter.paints, table).toBeGreaterThan(0);
    // moving pictures keep the encoder busy
    expect(by.block!.cpuEncoder, table).toBeGreaterThan(0);
    expect(by.full!.cpuEncoder, table).toBeGreaterThan(0);
    expect(table).toContain("NOT Windows' speed");
    expect(r.program, 'a smoke run builds no program').toBeUndefined();
  }, 420_000);
});
