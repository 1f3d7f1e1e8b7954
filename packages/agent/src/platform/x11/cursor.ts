/** XFIXES cursor pixels (ARGB32, premultiplied alpha) -> RGBA with straight alpha, `count` pixels. */
export function straightRgba(argb: Buffer, count: number): Buffer {
  const rgba = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) {
    const p = argb.readUInt32LE(4 * i);
    const a = p >>> 24;
    const un = (c: number): number => (a === 0 ? 0 : Math.min(255, Math.round((c * 255) / a)));
    rgba[4 * i] = un((p >>> 16) & 0xff);
    rgba[4 * i + 1] = un((p >>> 8) & 0xff);
    rgba[4 * i + 2] = un(p & 0xff);
    rgba[4 * i + 3] = a;
  }
  return rgba;
}
