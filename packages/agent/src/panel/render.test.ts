import { describe, expect, it } from 'vitest';
import { initialFlowState, type CustomerFlowState } from '@fernhilfe/protocol';
import { textWidth } from './font.js';
import { panelModel } from './panel-model.js';
import { renderPanel } from './render.js';
import { PixelBuffer, fillPolygons, roundedRect } from './raster.js';

const state: CustomerFlowState = {
  ...initialFlowState,
  phase: 'active',
  technician: { displayName: 'Max Mustermann', company: 'Beispiel GmbH' },
  sas: '12 34 56',
  consent: { available: ['control', 'clipboard'], granted: { control: true, clipboard: false, recording: false }, pending: ['clipboard'] },
};
const model = (lang: 'de' | 'en', s = state) => panelModel(s, { folder: '', maySend: false, transfers: [], offers: [] }, lang, { companyName: 'Fernhilfe', primaryColor: '#0b5cad', accentColor: '#f0a500' })!;
const inside = (r: { x: number; y: number; width: number; height: number }, w: number, h: number) => r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h;
/** pixels that are neither the background nor the button's fill: the label's ink and its anti-aliased edge */
const inkIn = (img: PixelBuffer, r: { x: number; y: number; width: number; height: number }) => {
  let n = 0;
  const fill = img.at(r.x + 2, r.y + Math.floor(r.height / 2));
  for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) if (JSON.stringify(img.at(x, y)) !== JSON.stringify(fill)) n++;
  return n;
};

describe('the panel’s picture', () => {
  it('fills shapes anti-aliased: a rounded rectangle is solid inside, blended on its edge, untouched outside', () => {
    const b = new PixelBuffer(40, 30);
    b.fill({ r: 255, g: 255, b: 255 });
    fillPolygons(b, [roundedRect(5.5, 5, 30, 20, 6)], { r: 0, g: 0, b: 0 });
    expect(b.at(20, 15)).toEqual({ r: 0, g: 0, b: 0 });
    expect(b.at(2, 2)).toEqual({ r: 255, g: 255, b: 255 });
    const edge = b.at(5, 15).r; // half of this column is inside
    expect(edge).toBeGreaterThan(90);
    expect(edge).toBeLessThan(165);
  });

  it('lays out every button inside the panel, in focus order, each with a label drawn on it', () => {
    const r = renderPanel(model('en'), { scale: 1 });
    expect(r.hits.map((h) => h.id)).toEqual(['allow-clipboard', 'refuse-clipboard', 'revoke-control', 'end-session']);
    for (const h of r.hits) {
      expect(inside(h.rect, r.image.width, r.image.height), h.id).toBe(true);
      expect(inkIn(r.image, h.rect), `${h.id} has a label`).toBeGreaterThan(40);
    }
    const end = r.hits.at(-1)!.rect;
    expect(end.width).toBeGreaterThan(r.image.width * 0.8); // the big End button
    // the title strip is the operator's primary colour
    expect(r.image.at(3, 3)).toEqual({ r: 11, g: 92, b: 173 });
  });

  it('at 200 % everything is twice as big (readable on a 192-dpi screen)', () => {
    const one = renderPanel(model('de'), { scale: 1 });
    const two = renderPanel(model('de'), { scale: 2 });
    expect(two.image.width).toBe(one.image.width * 2);
    expect(Math.abs(two.image.height - one.image.height * 2)).toBeLessThanOrEqual(8);
    expect(textWidth('Sitzung beenden', { px: 34, bold: true })).toBeCloseTo(textWidth('Sitzung beenden', { px: 17, bold: true }) * 2, 0);
  });

  it('shows the technician’s name: another name gives other pixels; the focused button gets a ring', () => {
    const a = renderPanel(model('en'), { scale: 1 });
    const b = renderPanel(model('en', { ...state, technician: { displayName: 'Erika Musterfrau', company: 'Beispiel GmbH' } }), { scale: 1 });
    expect(a.image.data.equals(b.image.data)).toBe(false);
    const focused = renderPanel(model('en'), { scale: 1, focus: 'end-session' });
    const end = focused.hits.at(-1)!.rect;
    expect(focused.image.at(end.x + 20, end.y - 2)).toEqual({ r: 240, g: 165, b: 0 });
    expect(a.image.at(end.x + 20, end.y - 2)).toEqual({ r: 255, g: 255, b: 255 });
  });
});
