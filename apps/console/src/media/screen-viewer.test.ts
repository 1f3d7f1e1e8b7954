import type { ControlMessage } from '@fernhilfe/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScreenViewer, type ScreenState, type VideoRate } from './screen-viewer';
import { fakeDecoders, videoFrame as frame } from './testing/fake-decoder';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ScreenViewer', () => {
  let sent: ControlMessage[];
  let states: ScreenState[];
  let rates: Array<VideoRate | undefined>;
  let factory: ReturnType<typeof fakeDecoders>;
  let now: number;
  let viewer: ScreenViewer;
  const kinds = () => sent.map((m) => (m.type === 'video-ack' ? `ack ${m.frameId}` : m.type));

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    sent = [];
    states = [];
    rates = [];
    factory = fakeDecoders();
    now = 0;
    viewer = new ScreenViewer(
      { sendControl: (m) => sent.push(m), onState: (s) => states.push(s), onRate: (r) => rates.push(r) },
      { decoders: factory, now: () => now, wallClock: () => 1040, scheduleDraw: (draw) => draw() },
    );
  });
  afterEach(() => {
    viewer.close();
    vi.useRealTimers();
  });

  it('asks for a keyframe at start, skips delta frames until one comes, and acknowledges drawn frames', async () => {
    viewer.start();
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    const { decoders } = factory;
    expect(decoders).toHaveLength(1);
    sent = [];
    now = 1000;
    viewer.handleVideo(frame(1, false));
    expect(decoders[0]!.chunks).toHaveLength(0);
    expect(kinds()).toEqual(['keyframe-request', 'ack 1']);
    viewer.handleVideo(frame(2, true));
    viewer.handleVideo(frame(3, false));
    expect(decoders[0]!.chunks.map((c) => c.type)).toEqual(['key', 'delta']);
    expect(decoders[0]!.output(0).closed).toBe(true);
    expect(decoders[0]!.output(1).closed).toBe(true);
    expect(kinds()).toEqual(['keyframe-request', 'ack 1', 'ack 2', 'ack 3']);
    expect(states.at(-1)).toEqual({ kind: 'playing' });
  });

  it('keeps frames that arrive while the browser checks the configuration', async () => {
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    viewer.handleVideo(frame(0, true));
    viewer.handleVideo(frame(1, false));
    await flush();
    expect(factory.decoders[0]!.chunks.map((c) => c.type)).toEqual(['key', 'delta']);
    expect(kinds()).toEqual([]);
  });

  it('after a decoder error: a new decoder and a keyframe request; the lost frame is acknowledged as dropped', async () => {
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    const { decoders } = factory;
    viewer.handleVideo(frame(0, true));
    sent = [];
    decoders[0]!.fail();
    expect(decoders).toHaveLength(2);
    expect(kinds()).toEqual(['keyframe-request', 'ack 0']);
    viewer.handleVideo(frame(1, false));
    expect(decoders[1]!.chunks).toHaveLength(0);
    viewer.handleVideo(frame(2, true));
    expect(decoders[1]!.chunks.map((c) => c.type)).toEqual(['key']);
  });

  it('asks again when nothing was drawn 3 s after a video-config', async () => {
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    sent = [];
    now = 2000;
    vi.advanceTimersByTime(2000);
    expect(kinds()).toEqual([]);
    now = 3100;
    vi.advanceTimersByTime(1000);
    expect(kinds()).toEqual(['keyframe-request']);
  });

  it('reports a codec the browser cannot decode, and a stopped share', async () => {
    factory.supported = false;
    viewer.handleControl({ type: 'video-config', codec: 'av01.0.08M.08', width: 1280, height: 720 });
    await flush();
    expect(states.at(-1)).toEqual({ kind: 'unsupported', codec: 'av01.0.08M.08' });
    viewer.handleControl({ type: 'video-stop' });
    expect(states.at(-1)).toEqual({ kind: 'stopped' });
  });

  it('passes the sender\'s video-rate on, and forgets it when the share stops', () => {
    viewer.handleControl({ type: 'video-rate', bitrateKbps: 1800, limitKbps: 4200, fps: 24, scale: 0.5 });
    expect(rates).toEqual([{ bitrateKbps: 1800, limitKbps: 4200, fps: 24, scale: 0.5 }]);
    viewer.handleControl({ type: 'video-stop' });
    expect(rates.at(-1)).toBeUndefined();
    expect(rates).toHaveLength(2);
  });

  it('reports quality every second', async () => {
    const stats: unknown[] = [];
    viewer.close();
    viewer = new ScreenViewer(
      { sendControl: (m) => sent.push(m), onStats: (s) => stats.push(s) },
      { decoders: factory, now: () => now, wallClock: () => 1040, scheduleDraw: (draw) => draw() },
    );
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    viewer.handleVideo(frame(0, true, 1000));
    factory.decoders[0]!.output(0);
    now = 1000;
    vi.advanceTimersByTime(1000);
    expect(stats.at(-1)).toEqual({ fps: 1, latencyMs: 40, kbps: 0 });
  });
});
