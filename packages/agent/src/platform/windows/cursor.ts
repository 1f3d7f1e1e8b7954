/**
 * Windows cursor bitmaps (read with GetDIBits as 32-bit top-down BGRA rows) -> RGBA with straight
 * alpha, the shape the viewer draws.
 *
 * - Colour cursor: `color` holds the pixels. With an alpha channel (any alpha byte non-zero) that
 *   alpha is used (Windows keeps cursor alpha straight); without one, the AND mask says which pixels
 *   are transparent (mask bit 1 = transparent).
 * - Monochrome cursor (no colour bitmap): the mask bitmap is twice as tall, the AND mask above the
 *   XOR mask. AND 0 / XOR 0 = black, AND 0 / XOR 1 = white, AND 1 / XOR 0 = transparent, AND 1 /
 *   XOR 1 = "invert the screen", which a picture cannot do: drawn black (visible on light
 *   backgrounds, where the text cursor usually is).
 *
 * Mask rows arrive as 32-bit pixels too (GetDIBits converts the 1-bit bitmap): white (non-zero) = 1.
 */
export function colorCursorRgba(color: Buffer, mask: Buffer | undefined, width: number, height: number): Buffer {
  const count = width * height;
  const rgba = Buffer.alloc(count * 4);
  let hasAlpha = false;
  for (let i = 0; i < count; i++) if (color[4 * i + 3] !== 0) hasAlpha = true;
  for (let i = 0; i < count; i++) {
    rgba[4 * i] = color[4 * i + 2]!;
    rgba[4 * i + 1] = color[4 * i + 1]!;
    rgba[4 * i + 2] = color[4 * i]!;
    rgba[4 * i + 3] = hasAlpha ? color[4 * i + 3]! : mask && maskBit(mask, i) ? 0 : 255;
  }
  return rgba;
}

/** `mask`: the AND rows (height of them) followed by the XOR rows, 32-bit pixels each. */
export function monochromeCursorRgba(mask: Buffer, width: number, height: number): Buffer {
  const count = width * height;
  const rgba = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) {
    const and = maskBit(mask, i);
    const xor = maskBit(mask, count + i);
    if (and && !xor) continue; // transparent: all zero
    const v = !and && xor ? 255 : 0;
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

const maskBit = (mask: Buffer, i: number): boolean => (mask[4 * i]! | mask[4 * i + 1]! | mask[4 * i + 2]!) !== 0;
