import { describe, expect, it } from 'vitest';
import { cornerOf, panelKeyOf, pointOf, windowsPanelScale } from './panel-place.js';

describe('the Windows session panel’s placement, scale and keys', () => {
  it('scales by the window’s DPI: 96 → 1, 120 → 1.25, 144 → 1.5, 192 → 2 (200 %), clamped to 1..4', () => {
    expect([96, 120, 144, 192, 480, 72].map((dpi) => windowsPanelScale(undefined, dpi))).toEqual([1, 1.25, 1.5, 2, 4, 1]);
    expect(windowsPanelScale(undefined, undefined)).toBe(1);
  });

  it('FERNHILFE_PANEL_SCALE overrides the DPI where it is 1 to 4', () => {
    expect(windowsPanelScale('1', 192)).toBe(1);
    expect(windowsPanelScale('2', 96)).toBe(2);
    expect(windowsPanelScale('9', 144)).toBe(1.5);
    expect(windowsPanelScale('abc', 192)).toBe(2);
  });

  it('sits in the work area’s top-right corner, 16 px (times the scale) from its edges', () => {
    const work = { left: 0, top: 0, right: 1920, bottom: 1040 };
    expect(cornerOf(work, { width: 340, height: 300 }, 1)).toEqual({ x: 1920 - 16 - 340, y: 16 });
    expect(cornerOf(work, { width: 680, height: 600 }, 2)).toEqual({ x: 1920 - 32 - 680, y: 32 });
    // a second monitor left of the primary one, a taskbar on top
    expect(cornerOf({ left: -1280, top: 40, right: 0, bottom: 1024 }, { width: 340, height: 300 }, 1)).toEqual({ x: -16 - 340, y: 56 });
    // a work area smaller than the panel: its left and top edges win
    expect(cornerOf({ left: 0, top: 0, right: 200, bottom: 100 }, { width: 340, height: 300 }, 1)).toEqual({ x: 0, y: 0 });
  });

  it('Tab, Shift+Tab, Enter, Space and Escape are the panel’s keys; other keys are not', () => {
    expect([panelKeyOf(0x09, false), panelKeyOf(0x09, true), panelKeyOf(0x0d, false), panelKeyOf(0x20, false), panelKeyOf(0x1b, false), panelKeyOf(0x41, false)]).toEqual(['tab', 'shift-tab', 'enter', 'enter', 'escape', undefined]);
  });

  it('reads a mouse message’s client point, negative coordinates included', () => {
    expect(pointOf((40 << 16) | 300)).toEqual({ x: 300, y: 40 });
    expect(pointOf(0xfffe0005)).toEqual({ x: 5, y: -2 });
    expect(pointOf(0x0005fff6n)).toEqual({ x: -10, y: 5 });
  });
});
