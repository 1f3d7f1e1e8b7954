import { describe, expect, it } from 'vitest';
import { panelScale, wmNormalHints } from './panel-hints.js';

describe('the session panel’s window hints', () => {
  it('scales by Xft.dpi (200 % = 192 dpi) unless FERNHILFE_PANEL_SCALE says otherwise', () => {
    expect(panelScale(undefined, 'Xft.antialias:\t1\nXft.dpi:\t192\n')).toBe(2);
    expect(panelScale(undefined, 'Xft.dpi: 144')).toBe(1.5);
    expect(panelScale(undefined, undefined)).toBe(1);
    expect(panelScale('2', 'Xft.dpi: 96')).toBe(2);
    expect(panelScale('nonsense', 'Xft.dpi: 96')).toBe(1);
    expect(panelScale('9', undefined)).toBe(1);
  });

  it('fixes the size and names the position only where given', () => {
    const first = wmNormalHints({ x: 1564, y: 16 }, { width: 340, height: 300 });
    expect([...new Uint32Array(first.buffer, first.byteOffset, 18)].slice(0, 9)).toEqual([1 | 4 | 16 | 32, 1564, 16, 340, 300, 340, 300, 340, 300]);
    expect(wmNormalHints(undefined, { width: 10, height: 20 }).readUInt32LE(0)).toBe(16 | 32);
  });
});
