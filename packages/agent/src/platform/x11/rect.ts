import type { Rect } from '../types.js';

export function intersect(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : undefined;
}

/** The encoder needs even sizes (4:2:0 chroma): drop the last odd row or column. */
export function evenArea(r: Rect): Rect {
  return { x: r.x, y: r.y, width: Math.max(2, r.width & ~1), height: Math.max(2, r.height & ~1) };
}

/** `rects` clipped to `area`, in coordinates relative to `area`. */
export function clipTo(rects: readonly Rect[], area: Rect): Rect[] {
  const out: Rect[] = [];
  for (const r of rects) {
    const c = intersect(r, area);
    if (c) out.push({ x: c.x - area.x, y: c.y - area.y, width: c.width, height: c.height });
  }
  return out;
}
