/**
 * The physical keys of a PC keyboard: the browser's KeyboardEvent.code -> its set-1 scan code, as
 * SendInput takes it with KEYEVENTF_SCANCODE. 0xE0xx means the E0-prefixed (extended) key:
 * SendInput gets scan xx with KEYEVENTF_EXTENDEDKEY. Pause has no usable scan code (E1 1D 45) and
 * goes by its virtual key instead.
 */
export interface ScanKey {
  scan: number;
  extended: boolean;
}

const plain: Record<string, number> = {
  Escape: 0x01,
  Minus: 0x0c,
  Equal: 0x0d,
  Backspace: 0x0e,
  Tab: 0x0f,
  BracketLeft: 0x1a,
  BracketRight: 0x1b,
  Enter: 0x1c,
  ControlLeft: 0x1d,
  Semicolon: 0x27,
  Quote: 0x28,
  Backquote: 0x29,
  ShiftLeft: 0x2a,
  Backslash: 0x2b,
  Comma: 0x33,
  Period: 0x34,
  Slash: 0x35,
  ShiftRight: 0x36,
  NumpadMultiply: 0x37,
  AltLeft: 0x38,
  Space: 0x39,
  CapsLock: 0x3a,
  ScrollLock: 0x46,
  Numpad7: 0x47,
  Numpad8: 0x48,
  Numpad9: 0x49,
  NumpadSubtract: 0x4a,
  Numpad4: 0x4b,
  Numpad5: 0x4c,
  Numpad6: 0x4d,
  NumpadAdd: 0x4e,
  Numpad1: 0x4f,
  Numpad2: 0x50,
  Numpad3: 0x51,
  Numpad0: 0x52,
  NumpadDecimal: 0x53,
  IntlBackslash: 0x56,
  F11: 0x57,
  F12: 0x58,
  KanaMode: 0x70,
  IntlRo: 0x73,
  Convert: 0x79,
  NonConvert: 0x7b,
  IntlYen: 0x7d,
  NumpadEqual: 0x59,
  F24: 0x76,
};

const extended: Record<string, number> = {
  NumpadEnter: 0x1c,
  ControlRight: 0x1d,
  NumpadDivide: 0x35,
  PrintScreen: 0x37,
  AltRight: 0x38,
  NumLock: 0x45,
  Home: 0x47,
  ArrowUp: 0x48,
  PageUp: 0x49,
  ArrowLeft: 0x4b,
  ArrowRight: 0x4d,
  End: 0x4f,
  ArrowDown: 0x50,
  PageDown: 0x51,
  Insert: 0x52,
  Delete: 0x53,
  MetaLeft: 0x5b,
  MetaRight: 0x5c,
  OSLeft: 0x5b,
  OSRight: 0x5c,
  ContextMenu: 0x5d,
};

// rows of the main block, left to right, starting at their first scan code
const rows: [string[], number][] = [
  [['Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8', 'Digit9', 'Digit0'], 0x02],
  [['KeyQ', 'KeyW', 'KeyE', 'KeyR', 'KeyT', 'KeyY', 'KeyU', 'KeyI', 'KeyO', 'KeyP'], 0x10],
  [['KeyA', 'KeyS', 'KeyD', 'KeyF', 'KeyG', 'KeyH', 'KeyJ', 'KeyK', 'KeyL'], 0x1e],
  [['KeyZ', 'KeyX', 'KeyC', 'KeyV', 'KeyB', 'KeyN', 'KeyM'], 0x2c],
  [['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10'], 0x3b],
  [['F13', 'F14', 'F15', 'F16', 'F17', 'F18', 'F19', 'F20', 'F21', 'F22', 'F23'], 0x64],
];
for (const [codes, start] of rows) codes.forEach((code, i) => (plain[code] = start + i));

/** The scan code of the key the browser calls `code`, or undefined for a key we do not press (media keys, Pause). */
export function scanCodeOf(code: string): ScanKey | undefined {
  if (Object.hasOwn(extended, code)) return { scan: extended[code]!, extended: true };
  if (Object.hasOwn(plain, code)) return { scan: plain[code]!, extended: false };
  return undefined;
}

/** Virtual keys for the keys without a scan code of their own. */
export const VK_PAUSE = 0x13;

/**
 * The text a key types when `key` (KeyboardEvent.key) is a character or a few ("@", "ü", "👍🏽"),
 * else undefined: named keys ("Enter", "F5", "Dead", "Unidentified") and control characters type nothing.
 */
export function typedText(key: string): string | undefined {
  if (key === '' || /^[A-Z][A-Za-z0-9]+$/.test(key)) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) return undefined;
  return [...key].length <= 8 ? key : undefined;
}

/** A character as SendInput's KEYEVENTF_UNICODE takes it: its UTF-16 code units (two for one outside the BMP). */
export function utf16Units(ch: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < ch.length; i++) units.push(ch.charCodeAt(i));
  return units;
}
