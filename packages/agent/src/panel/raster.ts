/** A point of an outline, in pixels of the target buffer (y downwards). */
export interface Point {
  x: number;
  y: number;
}

/** An RGB colour, 0..255 each. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** `#rrggbb` → Rgb (anything else: the fallback). */
export function parseColour(hex: string, fallback: Rgb = { r: 11, g: 92, b: 173 }): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? { r: parseInt(m[1]!, 16), g: parseInt(m[2]!, 16), b: parseInt(m[3]!, 16) } : fallback;
}

/** Rows of BGRX pixels (what an X server's 24-bit ZPixmap and a 32-bit DIB expect): the panel's picture. */
export class PixelBuffer {
  readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = Buffer.alloc(width * height * 4);
  }

  fill(c: Rgb): void {
    for (let i = 0; i < this.data.length; i += 4) this.set(i, c, 1);
  }

  /** the pixel at (x, y) */
  at(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return { r: this.data[i + 2]!, g: this.data[i + 1]!, b: this.data[i]! };
  }

  /** blends `c` over the byte offset `i` with coverage `a` (0..1) */
  set(i: number, c: Rgb, a: number): void {
    const d = this.data;
    if (a >= 1) {
      d[i] = c.b;
      d[i + 1] = c.g;
      d[i + 2] = c.r;
    } else {
      d[i] = Math.round(d[i]! + (c.b - d[i]!) * a);
      d[i + 1] = Math.round(d[i + 1]! + (c.g - d[i + 1]!) * a);
      d[i + 2] = Math.round(d[i + 2]! + (c.r - d[i + 2]!) * a);
    }
    d[i + 3] = 255;
  }
}

/** sub-scanlines per pixel row: 5 gives 6 levels of vertical coverage, horizontal coverage is exact at span ends */
const SUB = 5;

interface Edge {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** +1 downwards, -1 upwards (non-zero winding) */
  dir: number;
}

/**
 * Fills closed polygons (outlines already flattened to points) with `c`, anti-aliased, non-zero
 * winding rule (TrueType outlines and our rounded rectangles). Each pixel row is sampled on SUB
 * horizontal lines; on each, the spans inside the shape add their exact horizontal overlap to the
 * row's coverage; the row is then blended into the buffer.
 */
export function fillPolygons(buf: PixelBuffer, polygons: Point[][], c: Rgb): void {
  const edges: Edge[] = [];
  for (const poly of polygons) {
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!;
      const b = poly[(i + 1) % poly.length]!;
      if (a.y === b.y) continue;
      edges.push(a.y < b.y ? { x0: a.x, y0: a.y, x1: b.x, y1: b.y, dir: 1 } : { x0: b.x, y0: b.y, x1: a.x, y1: a.y, dir: -1 });
    }
  }
  if (edges.length === 0) return;
  // an active edge list: edges enter when the rows reach their top and leave below their bottom
  edges.sort((p, q) => p.y0 - q.y0);
  const bottom = edges.reduce((m, e) => Math.max(m, e.y1), -Infinity);
  const row = new Float32Array(buf.width + 2);
  const y0 = Math.max(0, Math.floor(edges[0]!.y0));
  const y1 = Math.min(buf.height, Math.ceil(bottom));
  let next = 0;
  let active: Edge[] = [];
  const xs: number[] = [];
  const dirs: number[] = [];
  for (let y = y0; y < y1; y++) {
    while (next < edges.length && edges[next]!.y0 < y + 1) active.push(edges[next++]!);
    active = active.filter((e) => e.y1 > y);
    if (active.length === 0) continue;
    row.fill(0);
    let minX = Infinity;
    let maxX = -Infinity;
    for (let s = 0; s < SUB; s++) {
      const sy = y + (s + 0.5) / SUB;
      xs.length = 0;
      dirs.length = 0;
      for (const e of active) {
        if (sy < e.y0 || sy >= e.y1) continue;
        // insertion by x (a handful of crossings per line)
        const x = e.x0 + ((sy - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0);
        let k = xs.length;
        xs.push(x);
        dirs.push(e.dir);
        while (k > 0 && xs[k - 1]! > x) {
          xs[k] = xs[k - 1]!;
          dirs[k] = dirs[k - 1]!;
          k--;
        }
        xs[k] = x;
        dirs[k] = e.dir;
      }
      let winding = 0;
      let spanStart = 0;
      for (let h = 0; h < xs.length; h++) {
        const before = winding;
        winding += dirs[h]!;
        if (before === 0 && winding !== 0) spanStart = xs[h]!;
        else if (before !== 0 && winding === 0) {
          // a span inside the shape: from where the winding left zero to where it returns
          const xa = Math.max(0, spanStart);
          const xb = Math.min(buf.width, xs[h]!);
          if (xb > xa) addSpan(row, xa, xb, 1 / SUB);
          minX = Math.min(minX, xa);
          maxX = Math.max(maxX, xb);
        }
      }
    }
    if (minX > maxX) continue;
    const base = y * buf.width * 4;
    for (let x = Math.floor(minX); x < Math.min(buf.width, Math.ceil(maxX) + 1); x++) {
      const a = Math.min(1, row[x]!);
      if (a > 0.002) buf.set(base + x * 4, c, a);
    }
  }
}

/** adds `weight` times the overlap of [xa, xb) with each pixel column */
function addSpan(row: Float32Array, xa: number, xb: number, weight: number): void {
  const ia = Math.floor(xa);
  const ib = Math.floor(xb);
  if (ia === ib) {
    row[ia] = row[ia]! + (xb - xa) * weight;
    return;
  }
  row[ia] = row[ia]! + (ia + 1 - xa) * weight;
  for (let x = ia + 1; x < ib; x++) row[x] = row[x]! + weight;
  if (ib < row.length) row[ib] = row[ib]! + (xb - ib) * weight;
}

/** A rounded rectangle as one polygon (corner arcs in short segments). */
export function roundedRect(x: number, y: number, w: number, h: number, r: number): Point[] {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  const steps = Math.max(2, Math.ceil(rr / 2));
  const pts: Point[] = [];
  const corner = (cx: number, cy: number, from: number) => {
    for (let i = 0; i <= steps; i++) {
      const a = from + (i / steps) * (Math.PI / 2);
      pts.push({ x: cx + rr * Math.cos(a), y: cy + rr * Math.sin(a) });
    }
  };
  corner(x + w - rr, y + rr, -Math.PI / 2);
  corner(x + w - rr, y + h - rr, 0);
  corner(x + rr, y + h - rr, Math.PI / 2);
  corner(x + rr, y + rr, Math.PI);
  return pts;
}
