/**
 * Types for the parts of `opentype.js` (no declarations of its own) that the session panel uses:
 * parse a font, look up a glyph, its outline and advance, kerning. Brought in by font.ts beside it.
 */
declare module 'opentype.js' {
  export type PathCommand =
    | { type: 'M' | 'L'; x: number; y: number }
    | { type: 'Q'; x1: number; y1: number; x: number; y: number }
    | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
    | { type: 'Z' };

  export interface Glyph {
    index: number;
    unicode?: number;
    advanceWidth?: number;
    /** the outline at (x, y) = pen position on the baseline, `fontSize` pixels per em; y grows downwards */
    getPath(x: number, y: number, fontSize: number): { commands: PathCommand[] };
  }

  export interface Font {
    unitsPerEm: number;
    ascender: number;
    descender: number;
    /** the glyph for a character; index 0 (.notdef) when the font has none */
    charToGlyph(char: string): Glyph;
    getKerningValue(left: Glyph, right: Glyph): number;
  }

  export function parse(buffer: ArrayBuffer): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}
