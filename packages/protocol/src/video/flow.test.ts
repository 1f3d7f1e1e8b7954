import { describe, expect, it } from 'vitest';
import { decodeVideoFrame, encodeVideoFrame } from '../codec/video.js';
import { VideoFlow } from './flow.js';

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

  it('frames round-trip through the codec', () => {
    const f = { keyframe: true, frameId: 7, captureTime: 1700000000123.5, data: new Uint8Array([0, 0, 0, 1, 0x67]) };
    expect(decodeVideoFrame(encodeVideoFrame(f))).toEqual(f);
    expect(() => decodeVideoFrame(new Uint8Array(5))).toThrow(/too short/);
  });
});
