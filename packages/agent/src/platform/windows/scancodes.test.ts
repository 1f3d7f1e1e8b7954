import { describe, expect, it } from 'vitest';
import { scanCodeOf, typedText, utf16Units } from './scancodes.js';

describe('browser code -> set-1 scan code', () => {
  it('knows the main block, the rows counted from their first key', () => {
    expect(scanCodeOf('Escape')).toEqual({ scan: 0x01, extended: false });
    expect(scanCodeOf('Digit1')).toEqual({ scan: 0x02, extended: false });
    expect(scanCodeOf('Digit0')).toEqual({ scan: 0x0b, extended: false });
    expect(scanCodeOf('KeyQ')).toEqual({ scan: 0x10, extended: false });
    expect(scanCodeOf('KeyP')).toEqual({ scan: 0x19, extended: false });
    expect(scanCodeOf('KeyA')).toEqual({ scan: 0x1e, extended: false });
    expect(scanCodeOf('KeyL')).toEqual({ scan: 0x26, extended: false });
    expect(scanCodeOf('KeyZ')).toEqual({ scan: 0x2c, extended: false });
    expect(scanCodeOf('KeyM')).toEqual({ scan: 0x32, extended: false });
    expect(scanCodeOf('IntlBackslash')).toEqual({ scan: 0x56, extended: false });
    expect(scanCodeOf('Enter')).toEqual({ scan: 0x1c, extended: false });
    expect(scanCodeOf('Backspace')).toEqual({ scan: 0x0e, extended: false });
  });

  it('function keys: F1-F10 in a row, F11/F12 apart, F13-F24 above 0x63', () => {
    expect(scanCodeOf('F1')).toEqual({ scan: 0x3b, extended: false });
    expect(scanCodeOf('F10')).toEqual({ scan: 0x44, extended: false });
    expect(scanCodeOf('F11')).toEqual({ scan: 0x57, extended: false });
    expect(scanCodeOf('F12')).toEqual({ scan: 0x58, extended: false });
    expect(scanCodeOf('F13')).toEqual({ scan: 0x64, extended: false });
    expect(scanCodeOf('F23')).toEqual({ scan: 0x6e, extended: false });
    expect(scanCodeOf('F24')).toEqual({ scan: 0x76, extended: false });
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
