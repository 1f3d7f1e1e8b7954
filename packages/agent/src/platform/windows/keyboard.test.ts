import { describe, expect, it } from 'vitest';
import { keystrokes } from '../../../../../tests/agent/support/input-keys.js';
import { VK_MENU_MASK, WindowsKeyboard, type KeyAction, type Layout, type Stroke } from './keyboard.js';
import { scanCodeOf } from './scancodes.js';

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
    expect(actions.slice(at - 2, at)).toEqual([
      { kind: 'scan', key: { scan: 0x1d, extended: false }, up: false },
      { kind: 'scan', key: { scan: 0x38, extended: true }, up: false },
    ]);
  });

  it("a US technician's Shift+2 (@) becomes AltGr+Q on the German layout: Shift lifted, AltGr pressed, Shift put back", () => {
    const { actions } = run([
      { code: 'ShiftLeft', key: 'Shift', down: true },
      { code: 'Digit2', key: '@', down: true },
      { code: 'Digit2', key: '@', down: false },
      { code: 'ShiftLeft', key: 'Shift', down: false },
    ]);
    const shift = { scan: 0x2a, extended: false };
    expect(actions).toEqual([
      { kind: 'scan', key: shift, up: false },
      { kind: 'scan', key: shift, up: true },
      { kind: 'scan', key: { scan: 0x1d, extended: false }, up: false },
      { kind: 'scan', key: { scan: 0x38, extended: true }, up: false },
      { kind: 'scan', key: { scan: 0x10, extended: false }, up: false },
      { kind: 'scan', key: { scan: 0x10, extended: false }, up: true },
      { kind: 'scan', key: { scan: 0x38, extended: true }, up: true },
      { kind: 'scan', key: { scan: 0x1d, extended: false }, up: true },
      { kind: 'scan', key: shift, up: false },
      { kind: 'scan', key: shift, up: true },
    ]);
  });

  it('y and z swap on QWERTZ: a US technician typing "yz" gets "yz"', () => {
    const { actions } = run(keystrokes('yz', 'us') as { code: string; key: string; down: boolean }[]);
    expect(play(actions, germanChars).typed).toBe('yz');
  });

  it("the technician's AltGr is never pressed by itself: a character that needs it gets Ctrl + right Alt, one that does not gets nothing", () => {
    const { actions } = run([
      { code: 'AltRight', key: 'AltGraph', down: true },
      { code: 'KeyR', key: 'r', down: true },
      { code: 'KeyQ', key: '@', down: true },
      { code: 'AltRight', key: 'AltGraph', down: false },
    ]);
    const r = { scan: 0x13, extended: false };
    const q = { scan: 0x10, extended: false };
    const ctrl = { scan: 0x1d, extended: false };
    const ralt = { scan: 0x38, extended: true };
    expect(actions).toEqual([
      { kind: 'scan', key: r, up: false },
      { kind: 'scan', key: r, up: true },
      { kind: 'scan', key: ctrl, up: false },
      { kind: 'scan', key: ralt, up: false },
      { kind: 'scan', key: q, up: false },
      { kind: 'scan', key: q, up: true },
      { kind: 'scan', key: ralt, up: true },
      { kind: 'scan', key: ctrl, up: true },
    ]);
  });

  it('a Windows technician\'s AltGr (Ctrl + AltGraph): the Ctrl is lifted for a character without AltGr', () => {
    const { actions } = run([
      { code: 'ControlLeft', key: 'Control', down: true },
      { code: 'AltRight', key: 'AltGraph', down: true },
      { code: 'KeyR', key: 'r', down: true },
    ]);
    const ctrl = { scan: 0x1d, extended: false };
    const r = { scan: 0x13, extended: false };
    expect(actions).toEqual([
      { kind: 'scan', key: ctrl, up: false },
      { kind: 'scan', key: ctrl, up: true },
      { kind: 'scan', key: r, up: false },
      { kind: 'scan', key: r, up: true },
      { kind: 'scan', key: ctrl, up: false },
    ]);
  });

  it('a plain Alt lifted for a Unicode character gets the menu mask first and is not pressed again', () => {
    const { actions } = run([
      { code: 'AltLeft', key: 'Alt', down: true },
      { code: 'KeyA', key: '日', down: true },
      { code: 'AltLeft', key: 'Alt', down: false },
    ]);
    const lalt = { scan: 0x38, extended: false };
    expect(actions).toEqual([
      { kind: 'scan', key: lalt, up: false },
      { kind: 'vk', vk: VK_MENU_MASK, up: false },
      { kind: 'vk', vk: VK_MENU_MASK, up: true },
      { kind: 'scan', key: lalt, up: true },
      { kind: 'unicode', unit: 0x65e5, up: false },
      { kind: 'unicode', unit: 0x65e5, up: true },
    ]);
  });

  it('a character no key types goes as UTF-16 units, with every held modifier lifted around it', () => {
    const { actions } = run([
      { code: 'ShiftLeft', key: 'Shift', down: true },
      { code: 'KeyA', key: '👍', down: true },
    ]);
    const shift = { scan: 0x2a, extended: false };
    expect(actions).toEqual([
      { kind: 'scan', key: shift, up: false },
      { kind: 'scan', key: shift, up: true },
      { kind: 'unicode', unit: 0xd83d, up: false },
      { kind: 'unicode', unit: 0xd83d, up: true },
      { kind: 'unicode', unit: 0xdc4d, up: false },
      { kind: 'unicode', unit: 0xdc4d, up: true },
      { kind: 'scan', key: shift, up: false },
    ]);
  });

  it('Ctrl+C stays Ctrl+C: Control is left as the technician holds it', () => {
    const { actions } = run([
      { code: 'ControlLeft', key: 'Control', down: true },
      { code: 'KeyC', key: 'c', down: true },
      { code: 'KeyC', key: 'c', down: false },
      { code: 'ControlLeft', key: 'Control', down: false },
    ]);
    expect(play(actions, germanChars).typed).toBe('^c');
  });

  it('named keys go by scan code as pressed; auto-repeat presses again; releaseAll lets go of everything held', () => {
    const { kb, actions } = run([
      { code: 'ShiftLeft', key: 'Shift', down: true },
      { code: 'ArrowLeft', key: 'ArrowLeft', down: true },
      { code: 'ArrowLeft', key: 'ArrowLeft', down: true },
      { code: 'ShiftLeft', key: 'Shift', down: true },
      { code: 'Pause', key: 'Pause', down: true },
    ]);
    const shift = { scan: 0x2a, extended: false };
    const left = { scan: 0x4b, extended: true };
    expect(actions).toEqual([
      { kind: 'scan', key: shift, up: false },
      { kind: 'scan', key: left, up: false },
      { kind: 'scan', key: left, up: false },
      { kind: 'vk', vk: 0x13, up: false },
    ]);
    expect(kb.heldKeys()).toEqual({ scan: [shift, left], vk: [0x13] });
    actions.length = 0;
    kb.releaseAll();
    expect(actions).toEqual([
      { kind: 'vk', vk: 0x13, up: true },
      { kind: 'scan', key: left, up: true },
      { kind: 'scan', key: shift, up: true },
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
