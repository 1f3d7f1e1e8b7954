import { encodeVideoFrame, type ControlMessage } from '@fernhilfe/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScreenViewer, type ScreenState } from './screen-viewer';
import type { DecoderFactory } from './webcodecs';

/** Behaves like WebCodecs' VideoDecoder where the viewer relies on it; the test triggers output and errors. */
class FakeDecoder {
  state: CodecState = 'unconfigured';
  readonly chunks: EncodedVideoChunkInit[] = [];
  constructor(readonly init: VideoDecoderInit) {}
  configure(): void {
    this.state = 'configured';
  }
  decode(chunk: EncodedVideoChunkInit): void {
    if (this.state !== 'configured') throw new DOMException('not configured', 'InvalidStateError');
    this.chunks.push(chunk);
  }
  reset(): void {
    this.state = 'unconfigured';
  }
  close(): void {
    this.state = 'closed';
  }
  /** the decoder produced a picture for the chunk at `index` */
  output(index: number): void {
    const closed = { value: false };
    const frame = { timestamp: this.chunks[index]!.timestamp, displayWidth: 1280, displayHeight: 720, close: () => (closed.value = true) };
    this.init.output(frame as unknown as VideoFrame);
    expect(closed.value).toBe(true);
  }
  fail(): void {
    this.state = 'closed';
    this.init.error(new DOMException('broken stream', 'EncodingError'));
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const frame = (frameId: number, keyframe: boolean, captureTime = 1000) =>
  encodeVideoFrame({ frameId, keyframe, captureTime, data: new Uint8Array([0, 0, 0, 1, keyframe ? 0x65 : 0x41, 1, 2, 3]) });

describe('ScreenViewer', () => {
  let sent: ControlMessage[];
  let states: ScreenState[];
  let decoders: FakeDecoder[];
  let supported: boolean;
  let now: number;
  let viewer: ScreenViewer;
  const factory: DecoderFactory = {
    isSupported: async () => supported,
    create: (init) => {
      const d = new FakeDecoder(init);
      decoders.push(d);
      return d as unknown as VideoDecoder;
    },
    chunk: (init) => init as unknown as EncodedVideoChunk,
  };
  const kinds = () => sent.map((m) => (m.type === 'video-ack' ? `ack ${m.frameId}` : m.type));

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    sent = [];
    states = [];
    decoders = [];
    supported = true;
    now = 0;
    viewer = new ScreenViewer(
      { sendControl: (m) => sent.push(m), onState: (s) => states.push(s) },
      { decoders: factory, now: () => now, wallClock: () => 1040 },
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
    expect(decoders).toHaveLength(1);
    sent = [];
    now = 1000;
    viewer.handleVideo(frame(1, false));
    expect(decoders[0]!.chunks).toHaveLength(0);
    expect(kinds()).toEqual(['keyframe-request']);
    viewer.handleVideo(frame(2, true));
    viewer.handleVideo(frame(3, false));
    expect(decoders[0]!.chunks.map((c) => c.type)).toEqual(['key', 'delta']);
    decoders[0]!.output(0);
    decoders[0]!.output(1);
    expect(kinds()).toEqual(['keyframe-request', 'ack 2', 'ack 3']);
    expect(states.at(-1)).toEqual({ kind: 'playing' });
  });

  it('keeps frames that arrive while the browser checks the configuration', async () => {
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    viewer.handleVideo(frame(0, true));
    viewer.handleVideo(frame(1, false));
    await flush();
    expect(decoders[0]!.chunks.map((c) => c.type)).toEqual(['key', 'delta']);
    expect(kinds()).toEqual([]);
  });

  it('after a decoder error: a new decoder and a keyframe request', async () => {
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    viewer.handleVideo(frame(0, true));
    sent = [];
    decoders[0]!.fail();
    expect(decoders).toHaveLength(2);
    expect(kinds()).toEqual(['keyframe-request']);
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
    supported = false;
    viewer.handleControl({ type: 'video-config', codec: 'av01.0.08M.08', width: 1280, height: 720 });
    await flush();
    expect(states.at(-1)).toEqual({ kind: 'unsupported', codec: 'av01.0.08M.08' });
    viewer.handleControl({ type: 'video-stop' });
    expect(states.at(-1)).toEqual({ kind: 'stopped' });
  });

  it('reports quality every second', async () => {
    const stats: unknown[] = [];
    viewer.close();
    viewer = new ScreenViewer({ sendControl: (m) => sent.push(m), onStats: (s) => stats.push(s) }, { decoders: factory, now: () => now, wallClock: () => 1040 });
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    viewer.handleVideo(frame(0, true, 1000));
    decoders[0]!.output(0);
    now = 1000;
    vi.advanceTimersByTime(1000);
    expect(stats.at(-1)).toEqual({ fps: 1, latencyMs: 40, kbps: 0 });
  });
});
