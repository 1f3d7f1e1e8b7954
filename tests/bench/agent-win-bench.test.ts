import { describe, expect, it } from 'vitest';
import { formatWinAgentTable, runWinAgentBench } from '@fernhilfe/bench';

/**
 * `npm run bench:agent -- --platform win-x64 --smoke`: the Windows capture benchmark in short phases
 * under wine. It asserts that every part ran and measured something, never how fast (this machine
 * is shared, and wine is not Windows).
 */
describe('npm run bench:agent -- --platform win-x64 --smoke', () => {
  it('times full grabs, reads the CPU of each phase, captures the moving block and encodes it', async () => {
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
    // the screen feature with fernhilfe-encoder.exe sends frames of the moving block
    expect(r.encoded, table).toHaveLength(1);
    expect(r.encoded[0]!.fps, table).toBeGreaterThan(0);
    expect(r.encoded[0]!.videoBytesPerSec, table).toBeGreaterThan(0);
    expect(r.encoded[0]!.cpuEncoder, table).toBeGreaterThan(0);
    expect(table).toContain("NOT Windows' speed");
  }, 240_000);
});
