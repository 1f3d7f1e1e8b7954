import { describe, expect, it } from 'vitest';
import { LINK_PROFILES } from './netlab.js';
import { parseCounters } from './netlab/emulator.js';

describe('netlab', () => {
  it('has the four profiles of issue 17 with their exact numbers (delay, jitter, loss one way per direction)', () => {
    expect(LINK_PROFILES).toEqual({
      lan: { name: 'lan', upKbit: undefined, downKbit: undefined, delayMs: 0, jitterMs: 0, lossPct: 0 },
      dsl: { name: 'dsl', upKbit: 10_000, downKbit: 50_000, delayMs: 25, jitterMs: 0, lossPct: 0.1 },
      lte: { name: 'lte', upKbit: 5_000, downKbit: 20_000, delayMs: 40, jitterMs: 10, lossPct: 1 },
      bad: { name: 'bad', upKbit: 2_000, downKbit: 8_000, delayMs: 80, jitterMs: 0, lossPct: 3 },
    });
  });

  it("reads the emulator's counters and refuses an answer that lacks one", () => {
    const dir = { packets: 3, bytes: 300, lossDrops: 1, queueDrops: 0, sent: 2, writeErrors: 0, queued: 0 };
    expect(parseCounters(JSON.stringify({ up: dir, down: { ...dir, packets: 9 } }))).toEqual({ up: dir, down: { ...dir, packets: 9 } });
    expect(() => parseCounters(JSON.stringify({ up: dir, down: { ...dir, sent: undefined } }))).toThrow(/lack sent/);
    expect(() => parseCounters(JSON.stringify({ up: dir, down: { ...dir, sent: -1 } }))).toThrow(/lack sent/);
    expect(() => parseCounters('error unknown command')).toThrow(/not JSON/);
  });
});
