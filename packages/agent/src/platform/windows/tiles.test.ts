import { describe, expect, it } from 'vitest';
import { TILE, diffInto } from './tiles.js';

const W = 200;
const H = 100;
const frame = (fill = 0x20): Buffer => Buffer.alloc(W * H * 4, fill);
function paint(buf: Buffer, x: number, y: number, w: number, h: number, v: number): void {
  for (let yy = y; yy < y + h; yy++) buf.fill(v, (yy * W + x) * 4, (yy * W + x + w) * 4);
}

describe('diffInto: changed tiles of a BGRX frame', () => {
  it('finds nothing in an unchanged frame', () => {
    expect(diffInto(frame(), frame(), W, H)).toEqual([]);
  });

  it('reports the tiles around one changed pixel and copies them into the previous frame', () => {
    const prev = frame();
    const next = frame();
    paint(next, 70, 40, 1, 1, 0xff);
    const rects = diffInto(prev, next, W, H);
    expect(rects).toEqual([{ x: 2 * TILE, y: TILE, width: TILE, height: TILE }]);
    expect(prev.equals(next)).toBe(true);
  });

  it('merges neighbouring tiles into rectangles that cover the change, and clips at the edges', () => {
    const prev = frame();
    const next = frame();
    paint(next, 10, 10, 100, 50, 0xff); // tiles x 0..3, y 0..1
    paint(next, 195, 97, 5, 3, 0x80); // inside the last, partial tile
    const rects = diffInto(prev, next, W, H);
    expect(rects).toEqual([
      { x: 0, y: 0, width: 4 * TILE, height: 2 * TILE },
      { x: 6 * TILE, y: 3 * TILE, width: W - 6 * TILE, height: H - 3 * TILE },
    ]);
    expect(prev.equals(next)).toBe(true);
  });

  it('reports many scattered changes as their bounding box', () => {
    const size = 400;
    const prev = Buffer.alloc(size * size * 4);
    const next = Buffer.alloc(size * size * 4);
    // one pixel in every other tile, like a chessboard: no two changed tiles touch
    for (let ty = 0; ty * TILE < size; ty++) for (let tx = (ty % 2); tx * TILE < size; tx += 2) next[(ty * TILE * size + tx * TILE) * 4] = 1;
    const rects = diffInto(prev, next, size, size);
    expect(rects).toEqual([{ x: 0, y: 0, width: size, height: size }]);
    expect(prev.equals(next)).toBe(true);
  });
});
