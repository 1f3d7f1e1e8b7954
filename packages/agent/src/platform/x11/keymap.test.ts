import { describe, expect, it } from 'vitest';
import { KeyboardMap } from './keymap.js';
import { Keysym, NoSymbol, codepointForKeysym, keysymForCodepoint, modifierKeysyms, namedKeysym, printable } from './keymap.js';

const MIN = 8;
const cp = (c: string) => c.codePointAt(0)!;
/** a core mapping of keycodes 8..63 from { keycode: keysyms }, every other keycode empty */
function mapping(keys: Record<number, (number | string)[]>, modifiers: number[][]): KeyboardMap {
  const rows = Array.from({ length: 56 }, (_, i) => (keys[MIN + i] ?? []).map((k) => (typeof k === 'string' ? keysymForCodepoint(cp(k)) : k)));
  const per = Math.max(...rows.map((r) => r.length));
  return new KeyboardMap(MIN, rows.map((r) => [...r, ...Array<number>(per - r.length).fill(NoSymbol)]), modifiers);
}

// evdev keycodes: 11 "2", 24 "q", 26 "e", 34 "ü"/"[", 38 "a", 50 Shift_L, 62 Shift_R, 60 AltGr/Alt_R
const shift = [[50, 62]];
const german = mapping(
  { 11: ['2', '"', '2', '"', '²', '⅛'], 24: ['q', 'Q', 'q', 'Q', '@', 'Ω'], 26: ['e', 'E', 'e', 'E', '€', '€'], 34: ['ü', 'Ü'], 38: ['a', 'A'], 50: [Keysym.ShiftL], 62: [Keysym.ShiftR], 60: [Keysym.ISOLevel3Shift] },
  shift,
);
const us = mapping({ 11: ['2', '@'], 24: ['q', 'Q'], 34: ['[', '{'], 38: ['a', NoSymbol], 50: [Keysym.ShiftL], 62: [Keysym.ShiftR], 60: [Keysym.AltR, Keysym.MetaR] }, shift);

describe('KeyboardMap: which keycode and modifiers type a character', () => {
  it('on a German layout: AltGr (third level) for @ and €, Shift for capitals and "', () => {
    expect(german.strokeFor(cp('@'))).toEqual({ keycode: 24, shift: false, level3: true });
    expect(german.strokeFor(cp('€'))).toEqual({ keycode: 26, shift: false, level3: true });
    expect(german.strokeFor(cp('Q'))).toEqual({ keycode: 24, shift: true, level3: false });
    expect(german.strokeFor(cp('"'))).toEqual({ keycode: 11, shift: true, level3: false });
    expect(german.strokeFor(cp('ü'))).toEqual({ keycode: 34, shift: false, level3: false });
    expect([...german.level3Keycodes]).toEqual([60]);
  });

  it('on a US layout: Shift+2 for @, no key for ü, and an empty level 2 never types the lower-case letter shifted', () => {
    expect(us.strokeFor(cp('@'))).toEqual({ keycode: 11, shift: true, level3: false });
    expect(us.strokeFor(cp('ü'))).toBeUndefined();
    expect(us.strokeFor(cp('a'))).toEqual({ keycode: 38, shift: false, level3: false });
    expect(us.strokeFor(cp('A'))).toBeUndefined(); // typed through a lent keycode instead
    expect(us.level3Keycodes.size).toBe(0);
  });

  it('finds modifier keycodes by keysym and lists keycodes without symbols as spare, highest first', () => {
    expect(us.keycodeFor(modifierKeysyms('AltRight', 'Alt')!)).toBe(60);
    expect(german.keycodeFor(modifierKeysyms('AltRight', 'AltGraph')!)).toBe(60);
    expect(us.keycodeFor([namedKeysym('Enter')!])).toBeUndefined();
    expect(us.spare[0]).toBe(63);
    expect(us.spare).not.toContain(11);
    expect(us.shiftKeycodes).toEqual(new Set([50, 62]));
  });
});

describe('keysyms', () => {
  it('takes the named keysyms from the x11 package', () => {
    expect(Keysym.Return).toBe(0xff0d);
    expect(Keysym.ISOLevel3Shift).toBe(0xfe03);
    expect(namedKeysym('F12')).toBe(0xffc9);
    expect(namedKeysym('a')).toBeUndefined();
  });

  it('maps code points to keysyms and back (Latin-1 as is, the Euro sign, the rest as Unicode keysyms)', () => {
    for (const c of ['a', 'ü', '€', 'Ω', '😀']) expect(codepointForKeysym(keysymForCodepoint(cp(c)))).toBe(cp(c));
    expect(keysymForCodepoint(cp('ü'))).toBe(0xfc);
    expect(keysymForCodepoint(cp('Ω'))).toBe(0x10003a9);
    expect(codepointForKeysym(Keysym.F1)).toBeUndefined();
  });

  it('tells text from named keys', () => {
    expect(printable('@')).toEqual([0x40]);
    expect(printable('👍🏽')).toHaveLength(2);
    expect(printable('Enter')).toBeUndefined();
    expect(printable('Dead')).toBeUndefined();
  });
});
