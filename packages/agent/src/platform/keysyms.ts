import { InvariantError } from '@fernhilfe/protocol';
import x11 from 'x11';

const { keySyms } = x11;

/**
 * Keysyms shared by the Linux platforms (X11 types them through XTEST, Wayland through mutter's
 * NotifyKeyboardKeysym): what the browser's key names and characters are as X keysyms.
 */

/** The value of an X keysym by its keysymdef.h name ("BackSpace", "ISO_Level3_Shift"), from the `x11` package's table. */
function keysym(name: string): number {
  const k = keySyms[`XK_${name}`];
  if (!k) throw new InvariantError(`the x11 package knows no keysym XK_${name}`);
  return k.code;
}

/**
 * Keysyms (X11 keysymdef.h values) for what the browser's KeyboardEvent says. Printable characters
 * go by Unicode code point: Latin-1 keysyms equal the code point, every other character is
 * 0x1000000 + code point, except the few legacy keysyms layouts commonly use (the Euro sign).
 */
export const NoSymbol = 0;

/** The keysyms we name, with their values from the `x11` package's keysymdef.h table. */
export const Keysym = {
  BackSpace: keysym('BackSpace'),
  Tab: keysym('Tab'),
  Return: keysym('Return'),
  Pause: keysym('Pause'),
  ScrollLock: keysym('Scroll_Lock'),
  Escape: keysym('Escape'),
  Home: keysym('Home'),
  Left: keysym('Left'),
  Up: keysym('Up'),
  Right: keysym('Right'),
  Down: keysym('Down'),
  PageUp: keysym('Page_Up'),
  PageDown: keysym('Page_Down'),
  End: keysym('End'),
  Print: keysym('Print'),
  Insert: keysym('Insert'),
  Menu: keysym('Menu'),
  NumLock: keysym('Num_Lock'),
  F1: keysym('F1'),
  ShiftL: keysym('Shift_L'),
  ShiftR: keysym('Shift_R'),
  ControlL: keysym('Control_L'),
  ControlR: keysym('Control_R'),
  CapsLock: keysym('Caps_Lock'),
  MetaL: keysym('Meta_L'),
  MetaR: keysym('Meta_R'),
  AltL: keysym('Alt_L'),
  AltR: keysym('Alt_R'),
  SuperL: keysym('Super_L'),
  SuperR: keysym('Super_R'),
  Delete: keysym('Delete'),
  ModeSwitch: keysym('Mode_switch'),
  ISOLevel3Shift: keysym('ISO_Level3_Shift'),
  EuroSign: keysym('EuroSign'),
};

/** KeyboardEvent.key names of keys that type nothing -> keysym. */
const named: Record<string, number> = {
  Backspace: Keysym.BackSpace,
  Tab: Keysym.Tab,
  Enter: Keysym.Return,
  Pause: Keysym.Pause,
  ScrollLock: Keysym.ScrollLock,
  Escape: Keysym.Escape,
  Home: Keysym.Home,
  ArrowLeft: Keysym.Left,
  ArrowUp: Keysym.Up,
  ArrowRight: Keysym.Right,
  ArrowDown: Keysym.Down,
  PageUp: Keysym.PageUp,
  PageDown: Keysym.PageDown,
  End: Keysym.End,
  PrintScreen: Keysym.Print,
  Insert: Keysym.Insert,
  ContextMenu: Keysym.Menu,
  NumLock: Keysym.NumLock,
  CapsLock: Keysym.CapsLock,
  Delete: Keysym.Delete,
};
for (let i = 0; i < 24; i++) named[`F${i + 1}`] = Keysym.F1 + i;

/** Modifier keys by KeyboardEvent.code (the side matters); AltRight depends on `key` (see modifierKeysyms). */
const modifierCodes: Record<string, readonly number[]> = {
  ShiftLeft: [Keysym.ShiftL, Keysym.ShiftR],
  ShiftRight: [Keysym.ShiftR, Keysym.ShiftL],
  ControlLeft: [Keysym.ControlL, Keysym.ControlR],
  ControlRight: [Keysym.ControlR, Keysym.ControlL],
  AltLeft: [Keysym.AltL, Keysym.MetaL, Keysym.AltR],
  MetaLeft: [Keysym.SuperL, Keysym.SuperR, Keysym.MetaL],
  MetaRight: [Keysym.SuperR, Keysym.SuperL, Keysym.MetaR],
  OSLeft: [Keysym.SuperL, Keysym.SuperR],
  OSRight: [Keysym.SuperR, Keysym.SuperL],
};

/**
 * For a modifier key: the keysyms to look for in the customer's mapping, best first. The technician's
 * AltGr (`key` "AltGraph") means "third level" on the customer's side whatever key that is there.
 */
export function modifierKeysyms(code: string, key: string): readonly number[] | undefined {
  if (key === 'AltGraph') return [Keysym.ISOLevel3Shift, Keysym.ModeSwitch];
  if (code === 'AltRight') return [Keysym.AltR, Keysym.AltL];
  return modifierCodes[code];
}

/** The keysym of a named (non-printing) key, or undefined. */
export function namedKeysym(key: string): number | undefined {
  return Object.hasOwn(named, key) ? named[key] : undefined;
}

/** Code points of `key` when it types text ("@", "ü", "👍🏽"); undefined for a named key or "Dead". */
export function printable(key: string): number[] | undefined {
  const points = [...key].map((c) => c.codePointAt(0)!);
  if (points.length === 0 || points.length > 8) return undefined;
  if (points.length > 1 && /^[A-Z][A-Za-z0-9]+$/.test(key)) return undefined; // "Enter", "Unidentified", "Dead", "F1"
  if (points.some((p) => p < 0x20 || (p >= 0x7f && p < 0xa0))) return undefined;
  return points;
}

/** The keysym X clients understand for a code point. */
export function keysymForCodepoint(cp: number): number {
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  if (cp === 0x20ac) return Keysym.EuroSign;
  return 0x1000000 + cp;
}

/** The code point a keysym types, or undefined (function keys, dead keys, NoSymbol). */
export function codepointForKeysym(ks: number): number | undefined {
  if ((ks >= 0x20 && ks <= 0x7e) || (ks >= 0xa0 && ks <= 0xff)) return ks;
  if (ks === Keysym.EuroSign) return 0x20ac;
  if (ks >= 0x1000100 && ks <= 0x110ffff) return ks - 0x1000000;
  return undefined;
}

/** How to type one keysym on the customer's keyboard: this keycode with (or without) Shift and third level. */
