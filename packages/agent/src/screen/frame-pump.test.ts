import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateControl, VideoFlow } from '@fernhilfe/protocol';
import type { ScreenCapture } from '../platform/types.js';
import type { EncodeOptions, ScreenEncoder } from '../encode/types.js';
import { FramePump } from './frame-pump.js';
import type { RateReport } from './send-rate.js';
import type { FrameTiming } from './frame-timing.js';

/** A capture that always has a 64x48 picture, and an encoder that makes frames of `size` bytes. */
function fakes(size: () => number) {
  const grabs: number[] = [];
  const encodes: EncodeOptions[] = [];
  const capture = {
    selected: { id: 'm', name: 'm', primary: true, x: 0, y: 0, width: 64, height: 48 },
    grab: async () => {
      grabs.push(Date.now());
      return { width: 64, height: 48, data: Buffer.alloc(64 * 48 * 4), captureTime: Date.now() };
    },
  } as unknown as ScreenCapture;
  const encoder: ScreenEncoder = {
    name: 'fake',
    refines: false,
    encode: async (frame, opts) => {
      encodes.push(opts);
      return { keyframe: opts.keyframe, codec: 'avc1.640028', width: frame.width, height: frame.height, data: new Uint8Array(size()) };
    },
    close: async () => undefined,
  };
  return { capture, encoder, grabs, encodes };
}

describe('FramePump with its rate control (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('grabs a change at once while the link has room, not after 1/maxFps', async () => {
    const f = fakes(() => 1000);
    const sent: number[] = [];
    const pump = new FramePump({ capture: f.capture, encoder: f.encoder, maxFps: 1, refineAfterMs: 0, now: () => Date.now(), sendVideo: async () => void sent.push(Date.now()) });
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(1);
    expect(f.grabs).toHaveLength(1);
    pump.acked(0);
    pump.changed();
    await vi.advanceTimersByTimeAsync(20);
    // maxFps 1 would have held it for a second; the 8 ms floor did not
    expect(f.grabs).toHaveLength(2);
    expect(f.grabs[1]! - f.grabs[0]!).toBeGreaterThanOrEqual(8);
    expect(f.grabs[1]! - f.grabs[0]!).toBeLessThan(1000);
    // the encoder is told the target as its bitrate cap
    expect(f.encodes[1]!.maxKbps).toBe(pump.flow.rate!.targetKbps);
    pump.stop();
  });

  it('under continuous change settles at maxFps: the short gap is for a few frames after a pause, not a faster stream', async () => {
    const f = fakes(() => 500);
    let id = 0;
    const pump = new FramePump({
      capture: f.capture,
      encoder: f.encoder,
      maxFps: 30,
      refineAfterMs: 0,
      now: () => Date.now(),
      // the viewer acknowledges at once: the link always has room; the screen changes again right away
      sendVideo: async () => {
        const frame = id++;
        setTimeout(() => {
          pump.acked(frame);
          pump.changed();
        }, 1);
      },
    });
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(2000);
    // 2 s at 30 a second plus the burst of 3; without the bucket the 8 ms gap gave ~200
    expect(f.grabs.length).toBeLessThanOrEqual(2 * 30 + 3 + 1);
    expect(f.grabs.length).toBeGreaterThanOrEqual(2 * 30 - 2);
    pump.stop();
  });

  it('with a frame encoding, grabs the next change before that frame is sent, and encodes one frame at a time', async () => {
    const f = fakes(() => 1000);
    const release: Array<() => void> = [];
    let encoding = 0;
    let most = 0;
    const slow: ScreenEncoder = {
      ...f.encoder,
      encode: async (frame, opts) => {
        most = Math.max(most, ++encoding);
        await new Promise<void>((resolve) => release.push(resolve));
        encoding--;
        return f.encoder.encode(frame, opts);
      },
    };
    const timings: FrameTiming[] = [];
    const pump = new FramePump({ capture: f.capture, encoder: slow, maxFps: 30, refineAfterMs: 0, now: () => Date.now(), sendVideo: async () => undefined });
    pump.on('frame', (e) => void timings.push(e.timing));
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(1);
    expect(f.grabs).toHaveLength(1);
    pump.changed(); // the screen changes while frame 1 is in the encoder
    await vi.advanceTimersByTimeAsync(20);
    expect(f.grabs).toHaveLength(2); // grabbed already, not after frame 1 went out
    expect(timings).toHaveLength(0);
    expect(release).toHaveLength(1); // frame 2 waits for the encoder
    release.shift()!();
    await vi.advanceTimersByTimeAsync(1);
    expect(timings).toHaveLength(1);
    expect(release).toHaveLength(1); // now frame 2 is in the encoder
    release.shift()!();
    await vi.advanceTimersByTimeAsync(1);
    expect(timings).toHaveLength(2);
    expect(most).toBe(1);
    expect(timings[1]!.grabStart).toBeLessThan(timings[0]!.sentAt);
    expect(timings[1]!.handedAt).toBeGreaterThanOrEqual(timings[0]!.encodedAt);
    pump.stop();
  });

  it('once the path has limited the sender, the next change is grabbed only after the frame in flight went out', async () => {
    const f = fakes(() => 1000);
    const release: Array<() => void> = [];
    const slow: ScreenEncoder = {
      ...f.encoder,
      encode: async (frame, opts) => {
        await new Promise<void>((resolve) => release.push(resolve));
        return f.encoder.encode(frame, opts);
      },
    };
    class Limited extends RateControl {
      override get limiting(): boolean {
        return true;
      }
    }
    const now = () => Date.now();
    const flow = new VideoFlow({ rate: new Limited({ now }), now });
    const pump = new FramePump({ capture: f.capture, encoder: slow, flow, maxFps: 30, refineAfterMs: 0, now, sendVideo: async () => undefined });
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(1);
    pump.changed();
    await vi.advanceTimersByTimeAsync(20);
    expect(f.grabs).toHaveLength(1); // one at a time: the picture is taken when the link can have it
    release.shift()!();
    await vi.advanceTimersByTimeAsync(20);
    expect(f.grabs).toHaveLength(2);
    release.shift()!();
    pump.stop();
  });

  it('on a link that has not limited, a big frame (a refinement) does not hold the next change for its transmission time', async () => {
    let size = 70_000; // at the starting target of 4 Mbit/s: 140 ms of pacing
    const f = fakes(() => size);
    const pump = new FramePump({ capture: f.capture, encoder: f.encoder, maxFps: 30, refineAfterMs: 0, now: () => Date.now(), sendVideo: async () => undefined });
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(1);
    size = 500;
    await vi.advanceTimersByTimeAsync(4);
    pump.acked(0); // the link carried it at once: no queue, no cut
    expect(pump.flow.rate!.limiting).toBe(false);
    pump.changed();
    await vi.advanceTimersByTimeAsync(20);
    expect(f.grabs).toHaveLength(2);
    expect(f.grabs[1]! - f.grabs[0]!).toBeLessThan(40);
    pump.stop();
  });

  it('grabs nothing while the budget in flight is full, and the newest picture once an ack makes room', async () => {
    const f = fakes(() => 60_000); // bigger than the budget: one frame at a time
    const pump = new FramePump({ capture: f.capture, encoder: f.encoder, maxFps: 30, refineAfterMs: 0, now: () => Date.now(), sendVideo: async () => undefined });
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(1);
    pump.changed();
    await vi.advanceTimersByTimeAsync(150);
    expect(f.grabs).toHaveLength(1); // frame 0 unacknowledged: no room
    pump.changed();
    pump.acked(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(f.grabs).toHaveLength(2); // the two changes went out as one frame
    pump.stop();
  });

  it('tells the viewer its rate: at once, then at most once a second, and once more after the last frame', async () => {
    const f = fakes(() => 2000);
    const reports: RateReport[] = [];
    const pump = new FramePump({ capture: f.capture, encoder: f.encoder, maxFps: 30, refineAfterMs: 0, now: () => Date.now(), sendVideo: async () => undefined });
    pump.on('rate', (r) => void reports.push(r));
    pump.keyframe();
    await vi.advanceTimersByTimeAsync(1);
    expect(reports).toEqual([{ bitrateKbps: 4000, limitKbps: 0, fps: 1, scale: 1 }]);
    for (let i = 0; i < 30; i++) {
      pump.acked(i);
      pump.changed();
      await vi.advanceTimersByTimeAsync(40);
    }
    pump.acked(30);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.length).toBeLessThanOrEqual(3); // 1.2 s of frames: not a report per ack
    const before = reports.length;
    await vi.advanceTimersByTimeAsync(1500);
    expect(reports.length).toBe(before + 1);
    expect(reports.at(-1)!.fps).toBe(0);
    pump.stop();
  });
});
