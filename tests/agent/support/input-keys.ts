import type { InputEvent } from '@fernhilfe/protocol';

/**
 * The key events a browser sends when a technician types `text` on their own keyboard layout: the
 * physical `code` and the `key` it means, modifiers pressed and released around it, as Chromium
 * reports them for a German (QWERTZ, AltGr) or a US keyboard.
 */
type Stroke = { code: string; shift?: boolean; altgr?: boolean };

const letters = (swapYZ: boolean): Record<string, Stroke> => {
  const out: Record<string, Stroke> = {};
  for (const c of 'abcdefghijklmnopqrstuvwxyz') {
    const code = swapYZ && c === 'y' ? 'KeyZ' : swapYZ && c === 'z' ? 'KeyY' : `Key${c.toUpperCase()}`;
    out[c] = { code };
    out[c.toUpperCase()] = { code, shift: true };
  }
  for (let d = 0; d <= 9; d++) out[String(d)] = { code: `Digit${d}` };
  out[' '] = { code: 'Space' };
  return out;
};

const german: Record<string, Stroke> = {
  ...letters(true),
  ü: { code: 'BracketLeft' },
  Ü: { code: 'BracketLeft', shift: true },
  ö: { code: 'Semicolon' },
  Ö: { code: 'Semicolon', shift: true },
  ä: { code: 'Quote' },
  Ä: { code: 'Quote', shift: true },
  ß: { code: 'Minus' },
  '@': { code: 'KeyQ', altgr: true },
  '€': { code: 'KeyE', altgr: true },
  '{': { code: 'Digit7', altgr: true },
  '[': { code: 'Digit8', altgr: true },
  ']': { code: 'Digit9', altgr: true },
  '}': { code: 'Digit0', altgr: true },
  '\\': { code: 'Minus', altgr: true },
  '|': { code: 'IntlBackslash', altgr: true },
  '~': { code: 'BracketRight', altgr: true },
  '!': { code: 'Digit1', shift: true },
  '-': { code: 'Slash' },
};

const us: Record<string, Stroke> = {
  ...letters(false),
  '@': { code: 'Digit2', shift: true },
  '{': { code: 'BracketLeft', shift: true },
  '}': { code: 'BracketRight', shift: true },
  '[': { code: 'BracketLeft' },
  ']': { code: 'BracketRight' },
  '\\': { code: 'Backslash' },
  '|': { code: 'Backslash', shift: true },
  '~': { code: 'Backquote', shift: true },
  '!': { code: 'Digit1', shift: true },
  '-': { code: 'Minus' },
};

export const technicianLayouts = { de: german, us } as const;

const key = (code: string, k: string, down: boolean): InputEvent => ({ type: 'key', down, code, key: k });

export function keystrokes(text: string, layout: keyof typeof technicianLayouts): InputEvent[] {
  const table = technicianLayouts[layout];
  const out: InputEvent[] = [];
  for (const ch of text) {
    const s = table[ch];
    if (!s) throw new Error(`a ${layout} keyboard has no key for ${JSON.stringify(ch)}`);
    if (s.shift) out.push(key('ShiftLeft', 'Shift', true));
    if (s.altgr) out.push(key('AltRight', 'AltGraph', true));
    out.push(key(s.code, ch, true), key(s.code, ch, false));
    if (s.altgr) out.push(key('AltRight', 'AltGraph', false));
    if (s.shift) out.push(key('ShiftLeft', 'Shift', false));
  }
  return out;
}

export const enter: InputEvent[] = [key('Enter', 'Enter', true), key('Enter', 'Enter', false)];
