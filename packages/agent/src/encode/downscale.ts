import type { RawFrame } from './types.js';

/**
 * Half the width and height of a BGRX frame, each pixel the mean of a 2x2 block (what the rate
 * control asks for when the link cannot carry the full size at an acceptable quality). The output
 * size is even (H.264 4:2:0); the buffer is reused while the size stays. Only the rows the frame's
 * dirty rectangles span are recomputed (the rest is kept from the previous call), so a small change
 * costs little; the dirty rectangles are carried on, halved.
 */
export class Downscaler {
  private out: Buffer = Buffer.alloc(0);
  private outWidth = 0;
  private outHeight = 0;

  run(frame: RawFrame): RawFrame {
    const width = (frame.width >> 1) & ~1;
    const height = (frame.height >> 1) & ~1;
    const fresh = width !== this.outWidth || height !== this.outHeight;
    if (fresh) {
      this.out = Buffer.alloc(width * height * 4);
      this.outWidth = width;
      this.outHeight = height;
    }
    const dirty = fresh || !frame.dirty ? undefined : frame.dirty.map((r) => halve(r, width, height)).filter((r) => r.width > 0 && r.height > 0);
    const rows = dirty ?? [{ x: 0, y: 0, width, height }];
    for (const r of rows) this.scaleRect(frame, r.x, r.y, r.width, r.height);
    return { width, height, data: this.out, dirty };
  }

  private scaleRect(frame: RawFrame, x0: number, y0: number, w: number, h: number): void {
    const src = frame.data;
    const stride = frame.width * 4;
    const out = this.out;
    const outStride = this.outWidth * 4;
    for (let y = y0; y < y0 + h; y++) {
      let a = 2 * y * stride + x0 * 8;
      let b = a + stride;
      let o = y * outStride + x0 * 4;
      for (let x = 0; x < w; x++, a += 8, b += 8, o += 4) {
        out[o] = (src[a]! + src[a + 4]! + src[b]! + src[b + 4]! + 2) >> 2;
        out[o + 1] = (src[a + 1]! + src[a + 5]! + src[b + 1]! + src[b + 5]! + 2) >> 2;
        out[o + 2] = (src[a + 2]! + src[a + 6]! + src[b + 2]! + src[b + 6]! + 2) >> 2;
        out[o + 3] = 255;
      }
    }
  }
}

function halve(r: { x: number; y: number; width: number; height: number }, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const x = Math.min(width, r.x >> 1);
  const y = Math.min(height, r.y >> 1);
  const right = Math.min(width, (r.x + r.width + 1) >> 1);
  const bottom = Math.min(height, (r.y + r.height + 1) >> 1);
  return { x, y, width: right - x, height: bottom - y };
}
