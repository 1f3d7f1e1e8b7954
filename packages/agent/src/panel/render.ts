import { drawText, lineMetrics, textWidth, wrap, type TextStyle } from './font.js';
import type { PanelAction, PanelButton, PanelModel } from './panel-model.js';
import { PixelBuffer, fillPolygons, parseColour, roundedRect, type Rgb } from './raster.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A button where it was drawn, for clicks and the keyboard (in the panel's pixels). */
export interface PanelHit {
  id: string;
  rect: Rect;
  action: PanelAction;
}

export interface RenderedPanel {
  image: PixelBuffer;
  /** the buttons in focus order: the request's first, End session last */
  hits: PanelHit[];
  /** the strip at the top the customer drags the panel by */
  titleBar: Rect;
}

export interface RenderOptions {
  /** 1 at 96 dpi, 2 at 192 dpi (200 %) */
  scale: number;
  /** the button that has the keyboard focus (a ring around it) */
  focus?: string;
}

const WIDTH = 340;
const PAD = 14;
const WHITE: Rgb = { r: 255, g: 255, b: 255 };
const INK: Rgb = { r: 26, g: 26, b: 26 };
const MUTED: Rgb = { r: 85, g: 85, b: 85 };
const DANGER: Rgb = { r: 192, g: 38, b: 45 };
const SECONDARY: Rgb = { r: 232, g: 232, b: 232 };
const BORDER: Rgb = { r: 60, g: 60, b: 60 };

type Op = (buf: PixelBuffer) => void;

/**
 * Lays out and paints the panel: a title strip in the operator's primary colour, who is connected,
 * what they can do now, the security code, the open question with its two buttons, Take back
 * control (while granted) and a big End session. Every length is in 96-dpi pixels times `scale`.
 */
export function renderPanel(model: PanelModel, opts: RenderOptions): RenderedPanel {
  const s = opts.scale;
  const u = (n: number) => Math.round(n * s);
  const width = u(WIDTH);
  const inner = width - 2 * u(PAD);
  const primary = parseColour(model.colors.primary);
  const accent = parseColour(model.colors.accent, { r: 240, g: 165, b: 0 });
  const ops: Op[] = [];
  const hits: PanelHit[] = [];
  let y = 0;

  const text = (value: string, style: TextStyle, colour: Rgb, x = u(PAD), max = inner) => {
    for (const line of wrap(value, style, max)) {
      const m = lineMetrics(style);
      const baseline = y + m.ascent;
      ops.push((b) => drawText(b, line, x, baseline, style, colour));
      y += Math.ceil(m.height);
    }
  };
  const button = (b: PanelButton, rect: Rect, px: number) => {
    hits.push({ id: b.id, rect, action: b.action });
    const fill = b.style === 'danger' ? DANGER : b.style === 'primary' ? primary : SECONDARY;
    const ink = b.style === 'secondary' ? INK : WHITE;
    const style: TextStyle = { px: u(px), bold: true };
    const focused = opts.focus === b.id;
    ops.push((buf) => {
      if (focused) fillPolygons(buf, [roundedRect(rect.x - u(3), rect.y - u(3), rect.width + u(6), rect.height + u(6), u(9))], accent);
      fillPolygons(buf, [roundedRect(rect.x, rect.y, rect.width, rect.height, u(6))], fill);
      const m = lineMetrics(style);
      const w = textWidth(b.label, style);
      drawText(buf, b.label, rect.x + Math.max(0, (rect.width - w) / 2), rect.y + (rect.height - m.height) / 2 + m.ascent, style, ink);
    });
  };

  // title strip
  const titleBar = { x: 0, y: 0, width, height: u(30) };
  ops.push((b) => fillPolygons(b, [[{ x: 0, y: 0 }, { x: width, y: 0 }, { x: width, y: titleBar.height }, { x: 0, y: titleBar.height }]], primary));
  y = u(7);
  text(model.title, { px: u(13), bold: true }, WHITE);
  y = titleBar.height + u(10);

  text(model.heading, { px: u(12) }, MUTED);
  text(model.technician.name, { px: u(17), bold: true }, INK);
  if (model.technician.company) text(model.technician.company, { px: u(13) }, MUTED);
  y += u(8);
  for (const line of model.status) text(line, { px: u(13) }, INK);
  text(model.securityCode, { px: u(13), bold: true }, INK);
  y += u(10);

  if (model.request) {
    const top = y;
    const box: Rect = { x: u(PAD) - u(6), y: top, width: inner + u(12), height: 0 };
    const paintBox: Op = (b) => fillPolygons(b, [roundedRect(box.x, box.y, box.width, box.height, u(8))], tint(accent));
    ops.push(paintBox);
    y += u(8);
    text(model.request.text, { px: u(14), bold: true }, INK);
    y += u(8);
    const half = (inner - u(10)) / 2;
    model.request.buttons.forEach((b, i) => button(b, { x: Math.round(u(PAD) + i * (half + u(10))), y, width: Math.round(half), height: u(36) }, 14));
    y += u(36) + u(10);
    box.height = y - top;
    y += u(10);
  }

  for (const b of model.buttons) {
    const big = b.style === 'danger';
    const h = u(big ? 46 : 36);
    button(b, { x: u(PAD), y, width: inner, height: h }, big ? 17 : 14);
    y += h + u(10);
  }
  const height = y + u(PAD) - u(10);

  const image = new PixelBuffer(width, height);
  image.fill(WHITE);
  for (const op of ops) op(image);
  frame(image, BORDER, Math.max(1, u(1)));
  return { image, hits, titleBar };
}

/** a pale version of the accent colour for the question's box */
function tint(c: Rgb): Rgb {
  const mix = (v: number) => Math.round(255 - (255 - v) * 0.22);
  return { r: mix(c.r), g: mix(c.g), b: mix(c.b) };
}

function frame(b: PixelBuffer, c: Rgb, w: number): void {
  const { width, height } = b;
  fillPolygons(b, [[{ x: 0, y: 0 }, { x: width, y: 0 }, { x: width, y: height }, { x: 0, y: height }], [{ x: w, y: w }, { x: w, y: height - w }, { x: width - w, y: height - w }, { x: width - w, y: w }]], c);
}
