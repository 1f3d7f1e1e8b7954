import { describe, expect, it } from 'vitest';
import { I420Converter } from './i420.js';

const W = 320;
const H = 180;

/** BGRX frame filled with one colour */
function solid(r: number, g: number, b: number): Buffer {
  const f = Buffer.alloc(W * H * 4);
  for (let i = 0; i < f.length; i += 4) [f[i], f[i + 1], f[i + 2]] = [b, g, r];
  return f;
}

function paint(f: Buffer, x0: number, y0: number, w: number, h: number, rgb: [number, number, number]): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) [f[(y * W + x) * 4], f[(y * W + x) * 4 + 1], f[(y * W + x) * 4 + 2]] = [rgb[2], rgb[1], rgb[0]];
}

const yuvAt = (c: I420Converter, x: number, y: number) => [c.out[y * W + x], c.out[W * H + (y >> 1) * (W / 2) + (x >> 1)], c.out[W * H + (W * H) / 4 + (y >> 1) * (W / 2) + (x >> 1)]];

describe('BGRX to I420 (BT.709, full range)', () => {
  it('gives the BT.709 full-range values for white, black, pure red and the desktop blue', () => {
    const cases: Array<[[number, number, number], number[]]> = [
      [[255, 255, 255], [255, 128, 128]],
      [[0, 0, 0], [0, 128, 128]],
      [[255, 0, 0], [54, 99, 255]],
      [[58, 110, 165], [103, 161, 99]],
    ];
    for (const [rgb, want] of cases) {
      const c = new I420Converter(W, H);
      c.update(solid(...rgb));
      const got = yuvAt(c, 10, 10);
      got.forEach((v, i) => expect(Math.abs(v! - want[i]!), `${rgb.join(',')} -> ${got.join(',')}`).toBeLessThanOrEqual(1));
    }
  });

  it('converts only what changed, and the result equals a full conversion', () => {
    const frame = solid(58, 110, 165);
    const c = new I420Converter(W, H);
    expect(c.update(frame)).toBe(H / 2);
    expect(c.update(frame)).toBe(0);
    paint(frame, 101, 33, 7, 5, [250, 250, 20]);
    paint(frame, 300, 170, 20, 10, [10, 200, 30]);
    expect(c.update(frame)).toBe(3 + 5);
    const fresh = new I420Converter(W, H);
    fresh.update(frame);
    expect(c.out.equals(fresh.out)).toBe(true);
  });

  it('with a dirty hint looks only at the rows and columns the rectangles span', () => {
    const frame = solid(58, 110, 165);
    const c = new I420Converter(W, H);
    c.update(frame);
    paint(frame, 10, 11, 4, 4, [250, 250, 20]);
    paint(frame, 200, 12, 4, 4, [20, 250, 250]); // same rows, other columns: outside the hint
    paint(frame, 10, 100, 4, 4, [250, 250, 20]); // other rows
    expect(c.update(frame, false, [{ x: 8, y: 9, width: 10, height: 8 }])).toBe(3);
    expect(c.update(frame)).toBe(2 + 2);
    // a hint at the right edge, the width not a multiple of the compare chunk; then the same as a full conversion
    paint(frame, 301, 170, 19, 10, [10, 200, 30]);
    expect(c.update(frame, false, [{ x: 301, y: 170, width: 19, height: 10 }])).toBe(5);
    const fresh = new I420Converter(W, H);
    fresh.update(frame);
    expect(c.out.equals(fresh.out)).toBe(true);
  });

  it('refuses a frame of another size', () => {
    expect(() => new I420Converter(W, H).update(Buffer.alloc(16))).toThrow(/size/);
  });
});
