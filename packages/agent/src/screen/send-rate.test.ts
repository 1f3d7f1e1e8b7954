import { RateControl } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { SendRate } from './send-rate.js';

describe('SendRate', () => {
  /** 100 ms of frames at the target: the sender uses all of it */
  const busy = (control: RateControl) => control.onSent((control.targetKbps * 100) / 8);

  it('halves the picture after 1.5 s under what the full size needs while the sender uses its target, and restores it only well above (hysteresis)', () => {
    let t = 0;
    const control = new RateControl({ now: () => t, startKbps: 500 });
    const rate = new SendRate(control, () => t);
    for (; t < 1500; t += 100) {
      busy(control);
      expect(rate.chooseScale(1920, 1080)).toBe(false); // 500 kbps < 1244 needed: waits 1.5 s
    }
    busy(control);
    expect(rate.chooseScale(1920, 1080)).toBe(true);
    expect(rate.scale).toBe(0.5);
    // a small monitor is carried at full size by the same rate
    expect(new SendRate(control, () => t).chooseScale(800, 600)).toBe(false);
  });

  it('keeps the full size when the picture, not the path, limits the sender (typing under a low target)', () => {
    let t = 0;
    const control = new RateControl({ now: () => t, startKbps: 500 });
    const rate = new SendRate(control, () => t);
    for (; t < 10_000; t += 100) {
      control.onSent(900); // 72 kbps of the 500: a typed letter per frame
      control.onAck(900, 20);
      expect(rate.chooseScale(1920, 1080)).toBe(false);
    }
    expect(rate.scale).toBe(1);
  });

  it('tries the full size again when the half size leaves the target unused on a quiet path, and waits longer after a failed try', () => {
    let t = 0;
    const control = new RateControl({ now: () => t, startKbps: 500 });
    const rate = new SendRate(control, () => t);
    const busyFor = (ms: number) => {
      for (const end = t + ms; t < end; t += 100) {
        busy(control);
        if (rate.chooseScale(1920, 1080)) return t;
      }
      return undefined;
    };
    expect(busyFor(2000)).toBe(1500); // half size
    expect(rate.scale).toBe(0.5);
    // small frames, acknowledged at once: a quiet path, most of the target unused
    const idleFor = (ms: number) => {
      for (const end = t + ms; t < end; t += 100) {
        control.onSent(100);
        control.onAck(100, 20);
        if (rate.chooseScale(1920, 1080)) return t;
      }
      return undefined;
    };
    const idleFrom = t;
    expect(idleFor(3000)).toBeUndefined(); // the busy frames are still in the last 500 ms at first
    const probe = idleFor(1000);
    expect(probe).toBeDefined();
    expect(probe! - idleFrom).toBeGreaterThanOrEqual(3000);
    expect(rate.scale).toBe(1);
    // the full size uses the whole target, which stays under what it needs: back to half after 1.5 s
    expect(busyFor(2000)).toBeDefined();
    expect(rate.scale).toBe(0.5);
    // and the next probe waits 6 s of quiet
    const quietFrom = t;
    expect(idleFor(6000)).toBeUndefined();
    const second = idleFor(1500);
    expect(second).toBeDefined();
    expect(second! - quietFrom).toBeGreaterThanOrEqual(6000);
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
