import type { Rect } from '../types.js';

/** tile size of the comparison, in pixels: a typing caret costs one or two tiles, not a row of the screen */
export const TILE = 32;
/** more rectangles than this are reported as their bounding box (the consumer needs few) */
const MAX_RECTS = 32;

/**
 * Compares `next` with `prev` (both BGRX rows of `width` x `height`) in TILE x TILE tiles, copies
 * the changed tiles into `prev` (so `prev` becomes the new frame) and returns the changed area as
 * rectangles relative to the frame; [] when nothing changed. Whole rows are compared first (one
 * memcmp each): an unchanged screen costs one pass over the rows and no per-tile work.
 */
export function diffInto(prev: Buffer, next: Buffer, width: number, height: number): Rect[] {
  const stride = width * 4;
  const cols = Math.ceil(width / TILE);
  const bands: Rect[][] = [];
  for (let y0 = 0; y0 < height; y0 += TILE) {
    const rows = Math.min(TILE, height - y0);
    const changedCols = new Uint8Array(cols);
    let any = false;
    for (let y = y0; y < y0 + rows; y++) {
      const row = y * stride;
      if (next.compare(prev, row, row + stride, row, row + stride) === 0) continue;
      any = true;
      for (let c = 0; c < cols; c++) {
        if (changedCols[c]) continue;
        const a = row + c * TILE * 4;
        const b = Math.min(a + TILE * 4, row + stride);
        if (next.compare(prev, a, b, a, b) !== 0) changedCols[c] = 1;
      }
    }
    if (!any) continue;
    const band: Rect[] = [];
    for (let c = 0; c < cols; c++) {
      if (!changedCols[c]) continue;
      let end = c;
      while (end + 1 < cols && changedCols[end + 1]) end++;
      const x = c * TILE;
      band.push({ x, y: y0, width: Math.min((end + 1) * TILE, width) - x, height: rows });
      c = end;
    }
    bands.push(band);
  }
  const rects = mergeBands(bands);
  for (const r of rects) copyRect(next, prev, stride, r);
  return rects.length > MAX_RECTS ? [bounds(rects)] : rects;
}

/** Rectangles of consecutive bands with the same columns become one taller rectangle. */
function mergeBands(bands: Rect[][]): Rect[] {
  const done: Rect[] = [];
  let open: Rect[] = [];
  for (const band of bands) {
    const next: Rect[] = [];
    for (const r of band) {
      const above = open.find((o) => o.x === r.x && o.width === r.width && o.y + o.height === r.y);
      if (above) {
        above.height += r.height;
        next.push(above);
      } else next.push({ ...r });
    }
    for (const o of open) if (!next.includes(o)) done.push(o);
    open = next;
  }
  return [...done, ...open].sort((a, b) => a.y - b.y || a.x - b.x);
}

function copyRect(from: Buffer, to: Buffer, stride: number, r: Rect): void {
  for (let y = r.y; y < r.y + r.height; y++) {
    const at = y * stride + r.x * 4;
    from.copy(to, at, at, at + r.width * 4);
  }
}

export function bounds(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

/** `rects` merged into at most MAX_RECTS (else their bounding box), for dirty areas gathered over several polls. */
export function mergeRects(rects: readonly Rect[]): Rect[] {
  return rects.length > MAX_RECTS ? [bounds(rects)] : [...rects];
}
