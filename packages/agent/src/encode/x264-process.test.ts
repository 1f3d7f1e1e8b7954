import { afterEach, describe, expect, it } from 'vitest';
import { nalTypes } from './h264.js';
import { I420Converter, type RowBand } from './i420.js';
import { X264Encoder } from './x264-encoder.js';
import { STILL_CAPPED_BELOW_KBPS, X264Process, rowsInput, stillTier } from './x264-process.js';
import { findEncoder } from './encoder-path.js';

describe('x264 through the real fernhilfe-encoder', () => {
  let enc: X264Encoder | undefined;
  afterEach(async () => enc?.close());

  it('gives one access unit per frame written: IDR with SPS/PPS first, then P, and IDR again on request', async () => {
    enc = new X264Encoder();
    const frame = { width: 64, height: 48, data: Buffer.alloc(64 * 48 * 4, 0x80) };
    const first = await enc.encode(frame, { keyframe: true });
    expect(first.keyframe).toBe(true);
    expect(first.codec).toMatch(/^avc1\.[0-9A-F]{6}$/);
    expect(nalTypes(first.data)).toEqual(expect.arrayContaining([7, 8, 5]));
    frame.data.fill(0x20, 0, 64 * 4 * 10);
    const second = await enc.encode(frame, { keyframe: false });
    expect(second.keyframe).toBe(false);
    expect(nalTypes(second.data)).toContain(1);
    const third = await enc.encode(frame, { keyframe: true });
    expect(third.keyframe).toBe(true);
    expect(nalTypes(third.data)).toContain(5);
  }, 20_000);

  it('sends a still screen once more through the sharp tier (an IDR), and goes back to the motion tier on a big change', async () => {
    enc = new X264Encoder();
    const frame = { width: 320, height: 240, data: Buffer.alloc(320 * 240 * 4, 0x80) };
    const first = await enc.encode(frame, { keyframe: true });
    expect([first.keyframe, first.refined]).toEqual([true, false]);
    frame.data.fill(0x20, 0, 320 * 4 * 10);
    expect((await enc.encode(frame, { keyframe: false })).refined).toBe(false);
    // the still-tier spare may still be warming up: the frame waits for it, and comes out the same
    const sharp = await enc.encode(frame, { keyframe: false, refine: true });
    expect([sharp.keyframe, sharp.refined]).toEqual([true, true]);
    // the same codec string in both tiers: the viewer's decoder is not reconfigured at a switch
    expect(sharp.codec).toBe(first.codec);
    expect(nalTypes(sharp.data)).toEqual(expect.arrayContaining([7, 8, 5]));
    frame.data.fill(0x30, 320 * 4 * 100, 320 * 4 * 104);
    const small = await enc.encode(frame, { keyframe: false });
    expect([small.keyframe, small.refined]).toEqual([false, true]);
    // noise everywhere: a frame over 16 KiB in the sharp tier, then the motion tier starts with an IDR
    for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 7919) % 251;
    const big = await enc.encode(frame, { keyframe: false });
    expect(big.data.length).toBeGreaterThan(16 * 1024);
    frame.data.fill(0x40, 0, 320 * 4 * 10);
    const back = await enc.encode(frame, { keyframe: false });
    expect([back.keyframe, back.refined]).toEqual([true, false]);
  }, 20_000);

  it('keeps the sharp picture after a refinement: a small change costs only itself (the quantizer does not wander)', async () => {
    // text-like detail over the whole picture: what a re-coding of unchanged blocks would cost
    const frame = { width: 320, height: 240, data: Buffer.alloc(320 * 240 * 4, 0xf0) };
    for (let y = 0; y < 240; y++) for (let x = 0; x < 320; x++) if (x % 7 < 4 && y % 13 < 9 && (x * 7 + y * 13) % 11 < 6) frame.data.fill(0x10, (y * 320 + x) * 4, (y * 320 + x) * 4 + 3);
    const sizes: number[] = [];
    enc = new X264Encoder();
    await enc.encode(frame, { keyframe: true });
    const sharp = await enc.encode(frame, { keyframe: false, refine: true });
    expect([sharp.keyframe, sharp.refined]).toEqual([true, true]);
    // three small changes (a clock hand, letters), each in a few macroblocks
    for (let n = 0; n < 3; n++) {
      for (let y = 100; y < 108; y++) frame.data.fill(0x40 + n * 0x30, (y * 320 + 40 + n * 16) * 4, (y * 320 + 48 + n * 16) * 4);
      const small = await enc.encode(frame, { keyframe: false });
      expect([small.keyframe, small.refined]).toEqual([false, true]);
      sizes.push(small.data.length);
    }
    // measured: ~60 bytes each; under CRF the first one after the IDR re-coded the text at a finer quantizer: ~10 KB
    expect(Math.max(...sizes), sizes.join(',')).toBeLessThan(400);
  }, 20_000);

  it('keeps the bitrate cap in the still tier only under a narrow target (CRF with VBV there)', () => {
    expect([stillTier(0), stillTier(STILL_CAPPED_BELOW_KBPS), stillTier(30_000)]).toEqual(['still', 'still', 'still']);
    expect([stillTier(150), stillTier(STILL_CAPPED_BELOW_KBPS - 1)]).toEqual(['still-capped', 'still-capped']);
  });

  it('keeps a small change after a big sharp IDR in the sharp tier (the IDR’s size is no sign of motion)', async () => {
    enc = new X264Encoder();
    const frame = { width: 320, height: 240, data: Buffer.alloc(320 * 240 * 4) };
    for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 7919) % 251;
    await enc.encode(frame, { keyframe: true });
    const sharp = await enc.encode(frame, { keyframe: false, refine: true });
    expect([sharp.keyframe, sharp.refined]).toEqual([true, true]);
    expect(sharp.data.length).toBeGreaterThan(16 * 1024);
    frame.data.fill(0x30, 320 * 4 * 100, 320 * 4 * 104);
    const small = await enc.encode(frame, { keyframe: false });
    expect([small.keyframe, small.refined]).toEqual([false, true]);
  }, 20_000);

  it('writes only the changed rows (and columns) after the first frame, and gets the same access units as whole writes', async () => {
    const [w, h] = [320, 240];
    const whole = new X264Process(findEncoder(), w, h, 'motion');
    const rows = new X264Process(findEncoder(), w, h, 'motion');
    try {
      const i420 = new I420Converter(w, h);
      const bgrx = Buffer.alloc(w * h * 4, 0x60);
      const bands: Array<RowBand | undefined> = [];
      const block = (b: Buffer) => {
        for (let y = 50; y < 58; y++) b.fill(0xc0, (y * w + 100) * 4, (y * w + 116) * 4);
      };
      const same: boolean[] = [];
      // a typed letter (8 rows), a line further down, nothing, a small block (a clock's hand), then the whole screen
      const changes: Array<(b: Buffer) => void> = [() => undefined, (b) => b.fill(0xf0, w * 4 * 101, w * 4 * 109), (b) => b.fill(0x10, w * 4 * 200 + 40, w * 4 * 203), () => undefined, block, (b) => b.fill(0x33)];
      for (const change of changes) {
        change(bgrx);
        i420.update(bgrx);
        bands.push(i420.changedRows);
        const band = i420.changedRows ?? { first: 0, count: 0 };
        const [a, b] = await Promise.all([whole.encode(i420.out), rows.encode(i420.out, false, undefined, { rows: band })]);
        same.push(Buffer.from(a.data).equals(b.data));
      }
      const all = { col: 0, cols: w };
      // the block's columns widened to the converter's 64-pixel chunks
      expect(bands).toEqual([{ first: 0, count: h, ...all }, { first: 100, count: 10, ...all }, { first: 200, count: 4, ...all }, undefined, { first: 50, count: 8, col: 64, cols: 64 }, { first: 0, count: h, ...all }]);
      expect(same).toEqual([true, true, true, true, true, true]);
      // the first and the last frame went whole, the others as their bands (plus the 8-byte field), the block as its rectangle (plus 8 more)
      const frame = (w * h * 3) / 2;
      expect(whole.inputBytes).toBe(6 * (4 + frame));
      expect(rows.inputBytes).toBe(2 * (4 + frame) + 3 * 12 + (10 + 4) * w * 1.5 + 20 + 8 * 64 * 1.5);
    } finally {
      await Promise.all([whole.close(), rows.close()]);
    }
  }, 20_000);

  it('passes the rate control’s target on as the bitrate cap (RATE): capped noise frames come out far smaller', async () => {
    const sizes = async (maxKbps: number | undefined): Promise<number> => {
      const e = new X264Encoder({ refine: false });
      try {
        const frame = { width: 320, height: 240, data: Buffer.alloc(320 * 240 * 4) };
        let total = 0;
        for (let n = 0; n < 12; n++) {
          for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 7919 + n * 104729) % 251;
          const out = await e.encode(frame, { keyframe: n === 0, maxKbps });
          if (n >= 4) total += out.data.length;
        }
        return total;
      } finally {
        await e.close();
      }
    };
    const free = await sizes(undefined);
    const capped = await sizes(150);
    expect(capped).toBeLessThan(free / 4);
  }, 30_000);

  it('cuts a band of rows out of the I420 planes, and leaves the whole picture and bad bands alone', () => {
    const [w, h] = [8, 6];
    const i420 = Buffer.from(Array.from({ length: (w * h * 3) / 2 }, (_, i) => i));
    const cut = rowsInput(i420, w, h, { first: 2, count: 2 })!;
    expect([...cut.field]).toEqual([2, 0, 0, 0, 2, 0, 0, 0]);
    // Y rows 2..3, U row 1, V row 1
    expect(cut.planes.map((p) => [...p])).toEqual([range(16, 32), range(48 + 4, 48 + 8), range(60 + 4, 60 + 8)]);
    // with columns: Y rows 2..3 columns 2..5, then U and V row 1 columns 1..2, in one part
    const rect = rowsInput(i420, w, h, { first: 2, count: 2, col: 2, cols: 4 })!;
    expect([[...rect.field], [...rect.cols!]]).toEqual([[2, 0, 0, 0, 2, 0, 0, 0], [2, 0, 0, 0, 4, 0, 0, 0]]);
    expect(rect.planes.map((p) => [...p])).toEqual([[...range(18, 22), ...range(26, 30), ...range(53, 55), ...range(65, 67)]]);
    expect(rowsInput(i420, w, h, { first: 2, count: 2, col: 0, cols: 8 })!.cols).toBeUndefined();
    expect([rowsInput(i420, w, h, { first: 0, count: 6 }), rowsInput(i420, w, h, { first: 1, count: 2 }), rowsInput(i420, w, h, { first: 4, count: 4 })]).toEqual([undefined, undefined, undefined]);
  });

  it('says plainly when the encoder is missing', () => {
    expect(() => new X264Encoder({ encoder: '/nonexistent/fernhilfe-encoder' })).toThrow(/FERNHILFE_ENCODER points to \/nonexistent\/fernhilfe-encoder, which is not a file/);
  });
});

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
