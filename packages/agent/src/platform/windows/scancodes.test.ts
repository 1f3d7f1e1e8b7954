import { describe, expect, it } from 'vitest';
import { scanCodeOf, typedText, utf16Units } from './scancodes.js';

describe('browser code -> set-1 scan code', () => {
  const plain = (pairs: [string, number][]) => {
    for (const [code, scan] of pairs) expect(scanCodeOf(code), code).toEqual({ scan, extended: false });
  };

  it('knows the main block, the rows counted from their first key', () => {
    plain([
      ['Escape', 0x01], ['Digit1', 0x02], ['Digit0', 0x0b], ['KeyQ', 0x10], ['KeyP', 0x19], ['KeyA', 0x1e], ['KeyL', 0x26],
      ['KeyZ', 0x2c], ['KeyM', 0x32], ['IntlBackslash', 0x56], ['Enter', 0x1c], ['Backspace', 0x0e],
    ]);
  });

  it('function keys: F1-F10 in a row, F11/F12 apart, F13-F24 above 0x63', () => {
    plain([['F1', 0x3b], ['F10', 0x44], ['F11', 0x57], ['F12', 0x58], ['F13', 0x64], ['F23', 0x6e], ['F24', 0x76]]);
  });

  it('the E0 keys are extended: right Ctrl and Alt, arrows, the navigation block, Windows keys, numpad Enter and /', () => {
    for (const [code, scan] of [
      ['ControlRight', 0x1d],
      ['AltRight', 0x38],
      ['ArrowUp', 0x48],
      ['ArrowLeft', 0x4b],
      ['ArrowRight', 0x4d],
      ['ArrowDown', 0x50],
      ['Home', 0x47],
      ['End', 0x4f],
      ['PageUp', 0x49],
      ['PageDown', 0x51],
      ['Insert', 0x52],
      ['Delete', 0x53],
      ['MetaLeft', 0x5b],
      ['MetaRight', 0x5c],
      ['ContextMenu', 0x5d],
      ['NumpadEnter', 0x1c],
      ['NumpadDivide', 0x35],
    ] as const)
      expect(scanCodeOf(code), code).toEqual({ scan, extended: true });
    // the same scan codes without E0 are other keys
    expect(scanCodeOf('ControlLeft')).toEqual({ scan: 0x1d, extended: false });
    expect(scanCodeOf('Numpad8')).toEqual({ scan: 0x48, extended: false });
  });

  it('no scan code for keys we do not press', () => {
    expect(scanCodeOf('MediaPlayPause')).toBeUndefined();
    expect(scanCodeOf('Pause')).toBeUndefined();
    expect(scanCodeOf('toString')).toBeUndefined();
  });
});

describe('text a key types', () => {
  it('characters type, named keys and control characters do not', () => {
    expect(typedText('a')).toBe('a');
    expect(typedText('@')).toBe('@');
    expect(typedText('👍🏽')).toBe('👍🏽');
    expect(typedText('Enter')).toBeUndefined();
    expect(typedText('F5')).toBeUndefined();
    expect(typedText('Dead')).toBeUndefined();
    expect(typedText('\t')).toBeUndefined();
    expect(typedText('')).toBeUndefined();
  });

  it('splits a character into the UTF-16 units KEYEVENTF_UNICODE takes', () => {
    expect(utf16Units('€')).toEqual([0x20ac]);
    expect(utf16Units('日')).toEqual([0x65e5]);
    expect(utf16Units('👍')).toEqual([0xd83d, 0xdc4d]);
  });
});
