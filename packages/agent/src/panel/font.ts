// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- opentype.js ships no types: this brings ours into every program that compiles this file
/// <reference path="./opentype.d.ts" />
import opentype, { type Font, type Glyph, type PathCommand } from 'opentype.js';
import { INTER_BOLD, INTER_REGULAR } from './font-data.js';
import { fillPolygons, type PixelBuffer, type Point, type Rgb } from './raster.js';

/** The panel's text style: size in pixels per em (already scaled), bold or regular. */
export interface TextStyle {
  px: number;
  bold?: boolean;
}

const fonts: { regular?: Font; bold?: Font } = {};

function font(bold: boolean | undefined): Font {
  const key = bold ? 'bold' : 'regular';
  let f = fonts[key];
  if (!f) {
    const bytes = Buffer.from(bold ? INTER_BOLD : INTER_REGULAR, 'base64');
    f = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    fonts[key] = f;
  }
  return f;
}

/** The glyphs of `text`, one per character (no shaping: the panel's languages need none); a character the font lacks shows as "?". */
function glyphs(f: Font, text: string): Glyph[] {
  return [...text].map((ch) => {
    const g = f.charToGlyph(ch);
    return g.index === 0 && ch !== '\u0000' ? f.charToGlyph('?') : g;
  });
}

/** Pen advances (pixels) of each glyph, kerning included. */
function advances(f: Font, gs: Glyph[], px: number): number[] {
  const scale = px / f.unitsPerEm;
  return gs.map((g, i) => {
    const next = gs[i + 1];
    return ((g.advanceWidth ?? 0) + (next ? f.getKerningValue(g, next) : 0)) * scale;
  });
}

export function textWidth(text: string, style: TextStyle): number {
  const f = font(style.bold);
  return advances(f, glyphs(f, text), style.px).reduce((a, b) => a + b, 0);
}

/** Distance from the top of a line to its baseline, and the line's height. */
export function lineMetrics(style: TextStyle): { ascent: number; height: number } {
  const f = font(style.bold);
  const ascent = (f.ascender / f.unitsPerEm) * style.px;
  return { ascent, height: ((f.ascender - f.descender) / f.unitsPerEm) * style.px };
}

/** Draws `text` with its baseline at `baseline`, starting at `x`; returns the width drawn. */
export function drawText(buf: PixelBuffer, text: string, x: number, baseline: number, style: TextStyle, colour: Rgb): number {
  const f = font(style.bold);
  const gs = glyphs(f, text);
  const adv = advances(f, gs, style.px);
  let pen = x;
  gs.forEach((g, i) => {
    // glyph by glyph: few edges and crossings per fill (glyphs barely overlap)
    const at = pen;
    const polys = outline(g, style).map((poly) => poly.map((p) => ({ x: p.x + at, y: p.y + baseline })));
    if (polys.length > 0) fillPolygons(buf, polys, colour);
    pen += adv[i]!;
  });
  return pen - x;
}

/** flattened outlines at the origin, per font, glyph and size: a redraw reuses them */
const outlines = new Map<string, Point[][]>();

function outline(g: Glyph, style: TextStyle): Point[][] {
  const key = `${style.bold ? 'b' : 'r'}:${g.index}:${style.px}`;
  let polys = outlines.get(key);
  if (!polys) {
    polys = flatten(g.getPath(0, 0, style.px).commands, style.px);
    if (outlines.size > 4000) outlines.clear();
    outlines.set(key, polys);
  }
  return polys;
}

/** Breaks `text` into lines no wider than `max` pixels (at spaces; a word longer than a line stays whole). */
export function wrap(text: string, style: TextStyle, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, style) > max) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** An outline's commands as polygons: curves become short straight segments (more for bigger text). */
function flatten(commands: PathCommand[], px: number): Point[][] {
  const steps = px < 20 ? 4 : px < 40 ? 6 : 10;
  const out: Point[][] = [];
  let poly: Point[] = [];
  let at: Point = { x: 0, y: 0 };
  const close = () => {
    if (poly.length > 2) out.push(poly);
    poly = [];
  };
  for (const c of commands) {
    switch (c.type) {
      case 'M':
        close();
        at = { x: c.x, y: c.y };
        poly.push(at);
        break;
      case 'L':
        at = { x: c.x, y: c.y };
        poly.push(at);
        break;
      case 'Q':
        for (let i = 1; i <= steps; i++) {
          const t = i / steps;
          const u = 1 - t;
          poly.push({ x: u * u * at.x + 2 * u * t * c.x1 + t * t * c.x, y: u * u * at.y + 2 * u * t * c.y1 + t * t * c.y });
        }
        at = { x: c.x, y: c.y };
        break;
      case 'C':
        for (let i = 1; i <= steps; i++) {
          const t = i / steps;
          const u = 1 - t;
          poly.push({
            x: u * u * u * at.x + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
            y: u * u * u * at.y + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
          });
        }
        at = { x: c.x, y: c.y };
        break;
      case 'Z':
        close();
        break;
    }
  }
  close();
  return out;
}
