import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { FrameDecoder, FrameKind, MAX_FRAME_BODY, encodeFrame } from './frame.js';

const body = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('frame codec', () => {
  it('round-trips frames however the stream is split', () => {
    const frames = [encodeFrame(FrameKind.control, body(0)), encodeFrame(FrameKind.peer, body(70_000, 2)), encodeFrame(FrameKind.control, body(5, 3))];
    const stream = Uint8Array.from(frames.flatMap((f) => [...f]));
    for (const size of [1, 2, 3, 5, 4096, stream.length]) {
      const d = new FrameDecoder();
      const out = [];
      for (let i = 0; i < stream.length; i += size) out.push(...d.push(stream.subarray(i, i + size)));
      expect(out.map((f) => [f.kind, f.body.length])).toEqual([[FrameKind.control, 0], [FrameKind.peer, 70_000], [FrameKind.control, 5]]);
      expect(out[1]!.body).toEqual(body(70_000, 2));
      expect(d.idle).toBe(true);
    }
  });

  it('refuses a length over the limit before allocating it', () => {
    const header = new Uint8Array([0xff, 0xff, 0xff, 0xff, FrameKind.peer]);
    expect(() => new FrameDecoder().push(header)).toThrow(expect.objectContaining({ reason: 'too-large' }));
    expect(() => encodeFrame(FrameKind.peer, new Uint8Array(MAX_FRAME_BODY + 1))).toThrow(ProtocolError);
  });

  it('refuses unknown kinds and empty frames, and stays failed afterwards', () => {
    const d = new FrameDecoder();
    expect(() => d.push(new Uint8Array([0, 0, 0, 1, 0x7f]))).toThrow(expect.objectContaining({ reason: 'malformed' }));
    expect(() => d.push(encodeFrame(FrameKind.control, body(1)))).toThrow(ProtocolError);
    expect(() => new FrameDecoder().push(new Uint8Array([0, 0, 0, 0, FrameKind.peer]))).toThrow(/empty frame/);
  });
});
