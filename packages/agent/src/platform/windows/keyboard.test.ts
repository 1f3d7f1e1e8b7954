import { describe, expect, it } from 'vitest';
import { keystrokes } from '../../../../../tests/agent/support/input-keys.js';
import { VK_MENU_MASK, WindowsKeyboard, type KeyAction, type Layout, type Stroke } from './keyboard.js';
import { scanCodeOf } from './scancodes.js';

const SHIFT = { scan: 0x2a, extended: false };
const CTRL = { scan: 0x1d, extended: false };
const RALT = { scan: 0x38, extended: true };
const LALT = { scan: 0x38, extended: false };
const KEY_Q = { scan: 0x10, extended: false };
const KEY_R = { scan: 0x13, extended: false };
const dn = (key: { scan: number; extended: boolean }): KeyAction => ({ kind: 'scan', key, up: false });
const up = (key: { scan: number; extended: boolean }): KeyAction => ({ kind: 'scan', key, up: true });
const uni = (unit: number): KeyAction[] => [
  { kind: 'unicode', unit, up: false },
  { kind: 'unicode', unit, up: true },
];
const ev = (code: string, key: string, down: boolean) => ({ code, key, down });

/** A layout from "character -> browser code + modifiers" (the scan code from our own table). */
function layout(keys: Record<string, [code: string, mods?: 'shift' | 'altgr' | 'shift+altgr']>): Layout {
  return {
    stroke(ch: string): Stroke | undefined {
      const k = keys[ch];
      if (!k) return undefined;
      return { key: scanCodeOf(k[0])!, shift: k[1]?.includes('shift') ?? false, altgr: k[1]?.includes('altgr') ?? false };
    },
  };
}

/** German (QWERTZ, AltGr) as Windows' kbdgr has the keys the tests type. */
const german = layout({
  G: ['KeyG', 'shift'],
  r: ['KeyR'],
  y: ['KeyZ'],
  z: ['KeyY'],
  ü: ['BracketLeft'],
  ß: ['Minus'],
  e: ['KeyE'],
  ' ': ['Space'],
  '@': ['KeyQ', 'altgr'],
  '€': ['KeyE', 'altgr'],
  '{': ['Digit7', 'altgr'],
  '}': ['Digit0', 'altgr'],
  '[': ['Digit8', 'altgr'],
  ']': ['Digit9', 'altgr'],
  '|': ['IntlBackslash', 'altgr'],
  '\\': ['Minus', 'altgr'],
  '~': ['BracketRight', 'altgr'],
  '1': ['Digit1'],
  '/': ['Digit7', 'shift'],
  c: ['KeyC'],
});

/** What the records do to a model keyboard: the characters they type on `l` (Unicode as itself). */
function play(actions: KeyAction[], l: Record<string, string>): { typed: string; down: Set<string> } {
  const down = new Set<string>();
  let typed = '';
  for (const a of actions) {
    const id = a.kind === 'scan' ? `${a.key.extended ? 'e0' : ''}${a.key.scan.toString(16)}` : a.kind === 'vk' ? `vk${a.vk.toString(16)}` : `u${a.unit}`;
    if (a.up) {
      down.delete(id);
      continue;
    }
    down.add(id);
    if (a.kind === 'unicode') typed += String.fromCharCode(a.unit);
    else {
      const shift = down.has('2a') || down.has('36');
      const altgr = down.has('e038') && (down.has('1d') || down.has('e01d'));
      const ctrl = (down.has('1d') || down.has('e01d')) && !altgr;
      const ch = l[`${id}${shift ? '+shift' : ''}${altgr ? '+altgr' : ''}`];
      if (ch !== undefined) typed += ctrl ? `^${ch}` : ch;
    }
  }
  return { typed, down };
}

/** The inverse of `german` for play(): scan id + modifiers -> character. */
const germanChars: Record<string, string> = {};
for (const ch of 'Gryzüße @€{}[]|\\~1/c') {
  const s = german.stroke(ch)!;
  germanChars[`${s.key.extended ? 'e0' : ''}${s.key.scan.toString(16)}${s.shift ? '+shift' : ''}${s.altgr ? '+altgr' : ''}`] = ch;
}

function run(events: { code: string; key: string; down: boolean }[], l: Layout = german) {
  const actions: KeyAction[] = [];
  const kb = new WindowsKeyboard(
    () => l,
    (a) => actions.push(...a),
  );
  for (const e of events) kb.key(e.code, e.key, e.down);
  return { kb, actions };
}

describe('WindowsKeyboard: what the technician means is typed on the customer layout', () => {
  it("a German technician's AltGr characters arrive on a German customer as AltGr (Ctrl + right Alt) strokes", () => {
    const text = 'Grüße @€{}[]|\\~ 1';
    const events = keystrokes(text, 'de') as { code: string; key: string; down: boolean }[];
    const { actions } = run(events);
    const { typed, down } = play(actions, germanChars);
    expect(typed).toBe(text);
    expect([...down], 'nothing stays down').toEqual([]);
    // characters that need AltGr got Ctrl + right Alt of their own
    const at = actions.findIndex((a) => a.kind === 'scan' && a.key.scan === 0x10 && !a.up);
    expect(actions.slice(at - 2, at)).toEqual([dn(CTRL), dn(RALT)]);
  });

  it("a US technician's Shift+2 (@) becomes AltGr+Q on the German layout: Shift lifted, AltGr pressed, Shift put back", () => {
    const { actions } = run([ev('ShiftLeft', 'Shift', true), ev('Digit2', '@', true), ev('Digit2', '@', false), ev('ShiftLeft', 'Shift', false)]);
    expect(actions).toEqual([dn(SHIFT), up(SHIFT), dn(CTRL), dn(RALT), dn(KEY_Q), up(KEY_Q), up(RALT), up(CTRL), dn(SHIFT), up(SHIFT)]);
  });

  it('y and z swap on QWERTZ: a US technician typing "yz" gets "yz"', () => {
    const { actions } = run(keystrokes('yz', 'us') as { code: string; key: string; down: boolean }[]);
    expect(play(actions, germanChars).typed).toBe('yz');
  });

  it("the technician's AltGr is never pressed by itself: a character that needs it gets Ctrl + right Alt, one that does not gets nothing", () => {
    const { actions } = run([ev('AltRight', 'AltGraph', true), ev('KeyR', 'r', true), ev('KeyQ', '@', true), ev('AltRight', 'AltGraph', false)]);
    expect(actions).toEqual([dn(KEY_R), up(KEY_R), dn(CTRL), dn(RALT), dn(KEY_Q), up(KEY_Q), up(RALT), up(CTRL)]);
  });

  it('a Windows technician\'s AltGr (Ctrl + AltGraph): the Ctrl is lifted for a character without AltGr', () => {
    const { actions } = run([ev('ControlLeft', 'Control', true), ev('AltRight', 'AltGraph', true), ev('KeyR', 'r', true)]);
    expect(actions).toEqual([dn(CTRL), up(CTRL), dn(KEY_R), up(KEY_R), dn(CTRL)]);
  });

  it('a plain Alt lifted for a Unicode character gets the menu mask first and is not pressed again', () => {
    const { actions } = run([ev('AltLeft', 'Alt', true), ev('KeyA', '日', true), ev('AltLeft', 'Alt', false)]);
    expect(actions).toEqual([
      dn(LALT),
      { kind: 'vk', vk: VK_MENU_MASK, up: false },
      { kind: 'vk', vk: VK_MENU_MASK, up: true },
      up(LALT),
      ...uni(0x65e5),
    ]);
  });

  it('a character no key types goes as UTF-16 units, with every held modifier lifted around it', () => {
    const { actions } = run([ev('ShiftLeft', 'Shift', true), ev('KeyA', '👍', true)]);
    expect(actions).toEqual([dn(SHIFT), up(SHIFT), ...uni(0xd83d), ...uni(0xdc4d), dn(SHIFT)]);
  });

  it('Ctrl+C stays Ctrl+C: Control is left as the technician holds it', () => {
    const { actions } = run([ev('ControlLeft', 'Control', true), ev('KeyC', 'c', true), ev('KeyC', 'c', false), ev('ControlLeft', 'Control', false)]);
    expect(play(actions, germanChars).typed).toBe('^c');
  });

  it('named keys go by scan code as pressed; auto-repeat presses again; releaseAll lets go of everything held', () => {
    const { kb, actions } = run([ev('ShiftLeft', 'Shift', true), ev('ArrowLeft', 'ArrowLeft', true), ev('ArrowLeft', 'ArrowLeft', true), ev('ShiftLeft', 'Shift', true), ev('Pause', 'Pause', true)]);
    const left = { scan: 0x4b, extended: true };
    expect(actions).toEqual([
      dn(SHIFT),
      dn(left),
      dn(left),
      { kind: 'vk', vk: 0x13, up: false },
    ]);
    expect(kb.heldKeys()).toEqual({ scan: [SHIFT, left], vk: [0x13] });
    actions.length = 0;
    kb.releaseAll();
    expect(actions).toEqual([
      { kind: 'vk', vk: 0x13, up: true },
      up(left),
      up(SHIFT),
    ]);
    expect(kb.heldKeys()).toEqual({ scan: [], vk: [] });
  });

  it('an aborted signal types nothing more', () => {
    const actions: KeyAction[] = [];
    const kb = new WindowsKeyboard(
      () => german,
      (a) => actions.push(...a),
    );
    const c = new AbortController();
    c.abort();
    kb.key('KeyR', 'r', true, c.signal);
    kb.key('Enter', 'Enter', true, c.signal);
    expect(actions).toEqual([]);
  });
});
