import { RateControl } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { SendRate } from './send-rate.js';

describe('SendRate', () => {
  it('halves the picture after a second under what the full size needs and restores it only well above (hysteresis)', () => {
    let t = 0;
    const control = new RateControl({ now: () => t, startKbps: 500 });
    const rate = new SendRate(control, () => t);
    expect(rate.chooseScale(1920, 1080)).toBe(false); // 500 kbps < 1244 needed: waits a second
    t = 1499;
    expect(rate.chooseScale(1920, 1080)).toBe(false);
    t = 1500;
    expect(rate.chooseScale(1920, 1080)).toBe(true);
    expect(rate.scale).toBe(0.5);
    // a small monitor is carried at full size by the same rate
    expect(new SendRate(control, () => t).chooseScale(800, 600)).toBe(false);
  });

  it('tries the full size again when the half size leaves the target unused on a quiet path, and waits longer after a failed try', () => {
    let t = 0;
    const control = new RateControl({ now: () => t, startKbps: 500 });
    const rate = new SendRate(control, () => t);
    rate.chooseScale(1920, 1080);
    t = 1500;
    expect(rate.chooseScale(1920, 1080)).toBe(true); // half size
    // small frames, acknowledged at once: a quiet path, most of the target unused
    const idleFor = (ms: number) => {
      for (const end = t + ms; t < end; t += 100) {
        control.onSent(100);
        control.onAck(100, 20);
        if (rate.chooseScale(1920, 1080)) return t;
      }
      return undefined;
    };
    expect(idleFor(2900)).toBeUndefined();
    expect(idleFor(300)).toBeDefined(); // 3 s: the probe
    expect(rate.scale).toBe(1);
    // the target stays under what the full size needs: back to half after 1.5 s, and the next probe waits 6 s
    expect(idleFor(2000)).toBeDefined();
    expect(rate.scale).toBe(0.5);
    expect(idleFor(5800)).toBeUndefined();
    expect(idleFor(400)).toBeDefined();
  });

  it('reports at most once a second and only what changed; a new scale at once', () => {
    let t = 0;
    const control = new RateControl({ now: () => t, startKbps: 3000 });
    const rate = new SendRate(control, () => t);
    rate.frameSent();
    expect(rate.report()).toEqual({ bitrateKbps: 3000, limitKbps: 0, fps: 1, scale: 1 });
    t = 500;
    rate.frameSent();
    expect(rate.report()).toBeUndefined(); // under a second
    t = 1200;
    rate.frameSent();
    expect(rate.report()).toBeUndefined(); // nothing that matters changed (fps 2 against 1)
    for (let i = 0; i < 5; i++) rate.frameSent();
    expect(rate.report()).toMatchObject({ fps: 7 });
  });
});
