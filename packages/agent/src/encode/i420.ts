import { InvariantError } from '@fernhilfe/protocol';

/**
 * BGRX (what X11 capture gives) to I420 (planar YUV 4:2:0, what x264 encodes), BT.709 full range,
 * done here instead of in ffmpeg, and only where the picture changed: a copy of the last BGRX frame
 * is kept, each pair of rows is compared with it (memcmp), and only the changed span of a changed
 * pair is converted. A ticking clock costs a 180x180 conversion instead of a whole frame, and the
 * encoder gets 3 MB per 1080p frame through its pipe instead of 8 MB, with no conversion of its own.
 *
 *   Y  = Kr R + Kg G + Kb B                      (Kr 0.2126, Kb 0.0722: BT.709)
 *   Cb = (B - Y) / (2 (1 - Kb)) + 128,  Cr = (R - Y) / (2 (1 - Kr)) + 128   (full range 0..255,
 *   chroma from the mean of each 2x2 block)
 */
const KR = 0.2126;
const KB = 0.0722;
const KG = 1 - KR - KB;
const F = 1 << 16;
const YR = Math.round(KR * F);
const YG = Math.round(KG * F);
const YB = F - YR - YG;
const UR = Math.round((-KR / (2 * (1 - KB))) * F);
const UG = Math.round((-KG / (2 * (1 - KB))) * F);
const UB = -UR - UG; // 0.5
const VR = Math.round(0.5 * F);
const VG = Math.round((-KG / (2 * (1 - KR))) * F);
const VB = -VR - VG;
/** compare rows in chunks of this many pixels to find the changed span */
const CHUNK = 64;

/**
 * A band of luma rows: `first` and `count` even (4:2:0), the chroma rows are half of them; with
 * `col`/`cols` (even) only those luma columns of each row, else the whole rows.
 */
export interface RowBand {
  first: number;
  count: number;
  col?: number;
  cols?: number;
}

export class I420Converter {
  /** Y plane, then U, then V: width*height*3/2 bytes, the frame to write to the encoder */
  readonly out: Buffer;
  /**
   * The rows (luma, even first row and count) the last update() converted, from the first changed
   * row pair to the last, and the columns (even) from the leftmost change to the rightmost; undefined
   * when nothing changed. What the encoder needs of `out` (ROWS, COLS).
   */
  changedRows: RowBand | undefined;
  private prev: Buffer | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (width % 2 || height % 2) throw new InvariantError('I420 needs an even width and height');
    this.out = Buffer.alloc((width * height * 3) / 2);
  }

  /**
   * Converts what changed since the last call (everything the first time, or with `full`); returns
   * the changed row pairs. `dirty` (optional): only pixels inside these rectangles can have changed,
   * so only the rows they touch are looked at, and in each only the columns they span.
   */
  update(bgrx: Buffer, full = false, dirty?: ReadonlyArray<{ x: number; y: number; width: number; height: number }>): number {
    const { width: w, height: h } = this;
    if (bgrx.length !== w * h * 4) throw new InvariantError('frame size does not match the converter');
    // 32-bit pixel reads need a 4-byte aligned start (capture buffers are; a copy otherwise)
    if (bgrx.byteOffset % 4 !== 0) bgrx = Buffer.from(bgrx);
    const stride = w * 4;
    const prev = this.prev;
    let changed = 0;
    let first = -1;
    let last = -1;
    let colLo = w;
    let colHi = 0;
    const spans = prev && !full && dirty ? rowSpans(dirty, w, h) : undefined;
    const px = new Uint32Array(bgrx.buffer, bgrx.byteOffset, bgrx.length >> 2);
    for (let y = 0; y < h; y += 2) {
      // the columns to look at in this row pair, widened to whole chunks (so x0 stays even)
      let lo = 0;
      let hi = w;
      if (spans) {
        const i = y >> 1;
        if (spans.lo[i]! >= spans.hi[i]!) continue;
        lo = Math.floor(spans.lo[i]! / CHUNK) * CHUNK;
        hi = Math.min(w, Math.ceil(spans.hi[i]! / CHUNK) * CHUNK);
      }
      const a = y * stride;
      const b = a + 2 * stride;
      let x0 = 0;
      let x1 = w;
      if (prev && !full) {
        if (!differs(bgrx, prev, a, b, lo, hi - lo, stride)) continue;
        x0 = hi;
        x1 = lo;
        for (let c = lo; c < hi; c += CHUNK) {
          if (differs(bgrx, prev, a, b, c, Math.min(hi, c + CHUNK) - c, stride)) {
            x0 = c;
            break;
          }
        }
        for (let c = lo + Math.floor((hi - lo - 1) / CHUNK) * CHUNK; c >= x0; c -= CHUNK) {
          const n = Math.min(hi, c + CHUNK) - c;
          if (differs(bgrx, prev, a, b, c, n, stride)) {
            x1 = c + n;
            break;
          }
        }
        // x0 is a multiple of CHUNK (even); x1 is even since w is
        bgrx.copy(prev, a + x0 * 4, a + x0 * 4, a + x1 * 4);
        bgrx.copy(prev, a + stride + x0 * 4, a + stride + x0 * 4, a + stride + x1 * 4);
      }
      this.convert(px, y, x0, x1);
      if (x0 < colLo) colLo = x0;
      if (x1 > colHi) colHi = x1;
      changed++;
      if (first < 0) first = y;
      last = y;
    }
    this.changedRows = first < 0 ? undefined : { first, count: last + 2 - first, col: colLo, cols: colHi - colLo };
    if (!prev) this.prev = Buffer.from(bgrx);
    else if (full) bgrx.copy(prev);
    return changed;
  }

  /** rows y and y+1, columns x0..x1 (even) */
  private convert(px: Uint32Array, y: number, x0: number, x1: number): void {
    const { width: w, height: h, out } = this;
    const uBase = w * h;
    const vBase = uBase + (w * h) / 4;
    const r0 = y * w;
    const r1 = r0 + w;
    const c0 = (y >> 1) * (w >> 1);
    // screens are mostly runs of equal pixels: a 2x2 block equal to the one before reuses its values
    let l0 = -1, l1 = -1, l2 = -1, l3 = -1;
    let y0 = 0, y1 = 0, y2 = 0, y3 = 0, u = 0, v = 0;
    for (let x = x0; x < x1; x += 2) {
      // the 2x2 block: (x, y) (x+1, y) (x, y+1) (x+1, y+1), each pixel 0xXXRRGGBB (little endian BGRX)
      const p0 = px[r0 + x]!, p1 = px[r0 + x + 1]!, p2 = px[r1 + x]!, p3 = px[r1 + x + 1]!;
      if (p0 !== l0 || p1 !== l1 || p2 !== l2 || p3 !== l3) {
        l0 = p0;
        l1 = p1;
        l2 = p2;
        l3 = p3;
        const b0 = p0 & 255, g0 = (p0 >> 8) & 255, q0 = (p0 >> 16) & 255;
        const b1 = p1 & 255, g1 = (p1 >> 8) & 255, q1 = (p1 >> 16) & 255;
        const b2 = p2 & 255, g2 = (p2 >> 8) & 255, q2 = (p2 >> 16) & 255;
        const b3 = p3 & 255, g3 = (p3 >> 8) & 255, q3 = (p3 >> 16) & 255;
        y0 = (YR * q0 + YG * g0 + YB * b0 + 0x8000) >> 16;
        y1 = (YR * q1 + YG * g1 + YB * b1 + 0x8000) >> 16;
        y2 = (YR * q2 + YG * g2 + YB * b2 + 0x8000) >> 16;
        y3 = (YR * q3 + YG * g3 + YB * b3 + 0x8000) >> 16;
        const rs = q0 + q1 + q2 + q3;
        const gs = g0 + g1 + g2 + g3;
        const bs = b0 + b1 + b2 + b3;
        u = clamp(((UR * rs + UG * gs + UB * bs + 0x20000) >> 18) + 128);
        v = clamp(((VR * rs + VG * gs + VB * bs + 0x20000) >> 18) + 128);
      }
      out[r0 + x] = y0;
      out[r0 + x + 1] = y1;
      out[r1 + x] = y2;
      out[r1 + x + 1] = y3;
      const ci = c0 + (x >> 1);
      out[uBase + ci] = u;
      out[vBase + ci] = v;
    }
  }
}

/** per row pair, the columns [lo, hi) the rectangles span in it (lo >= hi: untouched) */
function rowSpans(rects: ReadonlyArray<{ x: number; y: number; width: number; height: number }>, w: number, h: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(h >> 1).fill(w);
  const hi = new Int32Array(h >> 1);
  for (const r of rects) {
    const from = Math.max(0, Math.floor(r.y / 2));
    const to = Math.min(h >> 1, Math.ceil((r.y + r.height) / 2));
    const x0 = Math.max(0, r.x);
    const x1 = Math.min(w, r.x + r.width);
    for (let i = from; i < to; i++) {
      if (x0 < lo[i]!) lo[i] = x0;
      if (x1 > hi[i]!) hi[i] = x1;
    }
  }
  return { lo, hi };
}

function differs(cur: Buffer, prev: Buffer, a: number, b: number, x: number, n: number, stride: number): boolean {
  const s0 = a + x * 4;
  const s1 = a + stride + x * 4;
  return cur.compare(prev, s0, s0 + n * 4, s0, s0 + n * 4) !== 0 || (s1 < b && cur.compare(prev, s1, s1 + n * 4, s1, s1 + n * 4) !== 0);
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);
