import { describe, expect, it } from 'vitest';
import { Downscaler } from './downscale.js';

const bgrx = (width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer => {
  const out = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set([...pixel(x, y), 255], (y * width + x) * 4);
  return out;
};

describe('Downscaler', () => {
  it('halves width and height (even), each pixel the mean of its 2x2 block', () => {
    const frame = { width: 10, height: 6, data: bgrx(10, 6, (x, y) => [x * 10, y * 20, (x + y) % 2 ? 200 : 0]) };
    const half = new Downscaler().run(frame);
    expect([half.width, half.height]).toEqual([4, 2]); // 5x3 made even
    const px = (x: number, y: number) => [...half.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 3)];
    expect(px(0, 0)).toEqual([5, 10, 100]); // (0+10+0+10)/4, (0+0+20+20)/4, checkerboard mean
    expect(px(3, 1)).toEqual([65, 50, 100]);
  });

  it('recomputes only the rows of the dirty rectangles, halved, and passes them on', () => {
    const d = new Downscaler();
    const data = bgrx(8, 8, () => [0, 0, 0]);
    d.run({ width: 8, height: 8, data });
    data.fill(255);
    const half = d.run({ width: 8, height: 8, data, dirty: [{ x: 3, y: 3, width: 2, height: 1 }] });
    expect(half.dirty).toEqual([{ x: 1, y: 1, width: 2, height: 1 }]);
    expect(half.data[(1 * 4 + 1) * 4]).toBe(255);
    expect(half.data[(1 * 4 + 2) * 4]).toBe(255);
    expect(half.data[0]).toBe(0); // outside: kept from before
    // no dirty list: everything
    expect(d.run({ width: 8, height: 8, data }).data[0]).toBe(255);
  });
});
