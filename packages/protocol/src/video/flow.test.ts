import { describe, expect, it } from 'vitest';
import { decodeVideoFrame, encodeVideoFrame } from '../codec/video.js';
import { VideoFlow } from './flow.js';
import { RateControl } from './rate-control.js';

describe('video flow control', () => {
  it('keeps at most `window` frames in flight and drops new captures instead of queueing', () => {
    let t = 0;
    const flow = new VideoFlow({ window: 2, now: () => t });
    expect(flow.takeKeyframe()).toBe(true);
    expect(flow.takeKeyframe()).toBe(false);
    const a = flow.sent(100);
    flow.sent(100);
    expect(flow.admit()).toBe(false);
    expect(flow.droppedFrames).toBe(1);
    t = 30;
    flow.acked(a);
    expect(flow.roundTripMs).toBe(30);
    expect(flow.admit()).toBe(true);
  });

  it('forgets stale frames and asks for a keyframe', () => {
    let t = 0;
    const flow = new VideoFlow({ window: 1, staleMs: 100, now: () => t });
    flow.takeKeyframe();
    flow.sent(1);
    expect(flow.admit()).toBe(false);
    t = 200;
    expect(flow.admit()).toBe(true);
    expect(flow.takeKeyframe()).toBe(true);
  });

  it('with a rate control, keeps the path round trip in frames in flight (at least one), measured without the time the viewer held each frame', () => {
    let t = 0;
    const rate = new RateControl({ now: () => t });
    const flow = new VideoFlow({ rate, now: () => t });
    flow.takeKeyframe();
    // a LAN path (2 ms) behind a viewer that holds each frame 60 ms (a busy page decoding)
    for (let i = 0; i < 20; i++) {
      const id = flow.sent(300);
      t += 62;
      flow.acked(id, 60);
    }
    expect(rate.minRttMs).toBe(2);
    expect(rate.queueDelayMs).toBe(0); // the viewer's 60 ms are no queue on the path
    expect(flow.frameWindow).toBe(1); // the path holds less than a frame: the slow viewer gets no queue
    flow.sent(300);
    expect(flow.admit()).toBe(false); // the window, not the bytes (300 B of a 32 KB budget)
    rate.update();
    t += 100;
    expect(rate.usesTarget).toBe(false); // a full window is no sign that the path limits the sender
    // an LTE path (80 ms): 3 frames on their way
    const lte = new VideoFlow({ rate: new RateControl({ now: () => t }), now: () => t });
    for (let i = 0; i < 20; i++) {
      const id = lte.sent(300);
      t += 110;
      lte.acked(id, 30);
    }
    expect(lte.frameWindow).toBe(3);
  });

  it('frames round-trip through the codec', () => {
    const f = { keyframe: true, frameId: 7, captureTime: 1700000000123.5, data: new Uint8Array([0, 0, 0, 1, 0x67]) };
    expect(decodeVideoFrame(encodeVideoFrame(f))).toEqual(f);
    expect(() => decodeVideoFrame(new Uint8Array(5))).toThrow(/too short/);
  });
});
