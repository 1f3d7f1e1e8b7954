/**
 * Keysyms (X11 keysymdef.h values) for what the browser's KeyboardEvent says. Printable characters
 * go by Unicode code point: Latin-1 keysyms equal the code point, every other character is
 * 0x1000000 + code point, except the few legacy keysyms layouts commonly use (the Euro sign).
 */
export const NoSymbol = 0;

export const Keysym = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Pause: 0xff13,
  ScrollLock: 0xff14,
  Escape: 0xff1b,
  Home: 0xff50,
  Left: 0xff51,
  Up: 0xff52,
  Right: 0xff53,
  Down: 0xff54,
  PageUp: 0xff55,
  PageDown: 0xff56,
  End: 0xff57,
  Print: 0xff61,
  Insert: 0xff63,
  Menu: 0xff67,
  NumLock: 0xff7f,
  F1: 0xffbe,
  ShiftL: 0xffe1,
  ShiftR: 0xffe2,
  ControlL: 0xffe3,
  ControlR: 0xffe4,
  CapsLock: 0xffe5,
  MetaL: 0xffe7,
  MetaR: 0xffe8,
  AltL: 0xffe9,
  AltR: 0xffea,
  SuperL: 0xffeb,
  SuperR: 0xffec,
  Delete: 0xffff,
  ModeSwitch: 0xff7e,
  ISOLevel3Shift: 0xfe03,
  EuroSign: 0x20ac,
} as const;

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
