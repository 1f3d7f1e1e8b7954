import { describe, expect, it } from 'vitest';
import { QualityMeter } from './quality-meter';

describe('QualityMeter', () => {
  it('reports frames, median latency and kbit/s for the last period, then starts over', () => {
    let t = 0;
    const meter = new QualityMeter(() => t);
    meter.received(125_000); // 1 Mbit
    for (const latency of [30, 10, 20, 500]) meter.drawn(latency);
    t = 1000;
    expect(meter.sample()).toEqual({ fps: 4, latencyMs: 30, kbps: 1000 });
    t = 2000;
    expect(meter.sample()).toEqual({ fps: 0, latencyMs: undefined, kbps: 0 });
  });

  it('never shows a negative delay when the clocks differ a little', () => {
    let t = 0;
    const meter = new QualityMeter(() => t);
    meter.drawn(-12);
    t = 1000;
    expect(meter.sample().latencyMs).toBe(0);
  });
});
