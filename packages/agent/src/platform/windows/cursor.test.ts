import { describe, expect, it } from 'vitest';
import { colorCursorRgba, monochromeCursorRgba } from './cursor.js';

/** 32-bit pixels as GetDIBits returns them: B, G, R, A */
const px = (...p: [number, number, number, number][]): Buffer => Buffer.from(p.flat());
const WHITE: [number, number, number, number] = [255, 255, 255, 0];
const BLACK: [number, number, number, number] = [0, 0, 0, 0];

describe('Windows cursor bitmaps to straight RGBA', () => {
  it('keeps a colour cursor with alpha as it is, BGR turned into RGB', () => {
    const color = px([10, 20, 30, 255], [40, 50, 60, 128], [0, 0, 0, 0], [1, 2, 3, 64]);
    expect([...colorCursorRgba(color, undefined, 2, 2)]).toEqual([30, 20, 10, 255, 60, 50, 40, 128, 0, 0, 0, 0, 3, 2, 1, 64]);
  });

  it('takes transparency from the AND mask when a colour cursor has no alpha', () => {
    const color = px([10, 20, 30, 0], [40, 50, 60, 0]);
    const mask = px(BLACK, WHITE); // 0: opaque, 1: transparent
    expect([...colorCursorRgba(color, mask, 2, 1)]).toEqual([30, 20, 10, 255, 60, 50, 40, 0]);
  });

  it('turns the four AND/XOR cases of a monochrome cursor into black, white, transparent and black', () => {
    // AND rows, then XOR rows; pixels: (0,0) (0,1) (1,0) (1,1)
    const mask = px(BLACK, BLACK, WHITE, WHITE, BLACK, WHITE, BLACK, WHITE);
    expect([...monochromeCursorRgba(mask, 4, 1)]).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 255]);
  });
});
