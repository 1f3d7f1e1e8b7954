import { scanCodeOf, typedText, utf16Units, VK_PAUSE, type ScanKey } from './scancodes.js';

/** One keyboard record for SendInput: a physical key by scan code, a UTF-16 unit, or a virtual key. */
export type KeyAction =
  | { kind: 'scan'; key: ScanKey; up: boolean }
  | { kind: 'unicode'; unit: number; up: boolean }
  | { kind: 'vk'; vk: number; up: boolean };

/** Where a character is on the customer's layout: its key and the shift state it needs (AltGr = right Alt + Ctrl). */
export interface Stroke {
  key: ScanKey;
  shift: boolean;
  altgr: boolean;
}

/** The customer's current keyboard layout: the key for a character, undefined when no key types it. */
export interface Layout {
  stroke(ch: string): Stroke | undefined;
}

type Role = 'shift' | 'ctrl' | 'alt' | 'altgr' | 'meta';

interface Held {
  action: { kind: 'scan'; key: ScanKey } | { kind: 'vk'; vk: number };
  role: Role | undefined;
  /** physically down; false for the technician's AltGr (never pressed) and for an Alt a character lifted (pressed again, its release would open the window's menu) */
  down: boolean;
}

const SHIFT: ScanKey = { scan: 0x2a, extended: false };
const CTRL: ScanKey = { scan: 0x1d, extended: false };
const RIGHT_ALT: ScanKey = { scan: 0x38, extended: true };
/** an unassigned virtual key: pressed while Alt is down, Windows does not open the menu when Alt goes up */
export const VK_MENU_MASK = 0xe8;

/** A modifier key's part in typing, by the browser's code (+ key: the technician's AltGr is "AltGraph"). */
function roleOf(code: string, key: string): Role | undefined {
  if (key === 'AltGraph') return 'altgr';
  if (code === 'ShiftLeft' || code === 'ShiftRight') return 'shift';
  if (code === 'ControlLeft' || code === 'ControlRight') return 'ctrl';
  if (code === 'AltLeft' || code === 'AltRight') return 'alt';
  if (code === 'MetaLeft' || code === 'MetaRight' || code === 'OSLeft' || code === 'OSRight') return 'meta';
  return undefined;
}

/**
 * Turns the technician's key events into the customer's key strokes (docs/agent-input.md, Windows).
 * A key that types text is typed on key-down as that text on the customer's current layout, each
 * character with exactly the Shift / AltGr its key needs there (a Shift or AltGr the technician holds
 * is lifted for it, a missing one pressed; Ctrl, Alt and Windows keys stay as held, so Ctrl+C stays
 * Ctrl+C), or as KEYEVENTF_UNICODE when no key types it. Every other key is pressed and released by
 * its scan code like the technician does. Each character's records go to `send` in one batch, so the
 * customer's own keys cannot come in between. Pure: `send` and the layout come from the injector.
 */
export class WindowsKeyboard {
  /** what we hold down, by browser code, in the order pressed */
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly layout: () => Layout,
    private readonly send: (actions: KeyAction[]) => void,
  ) {}

  /** the keys held right now (for telling the customer's own keys from ours) */
  heldKeys(): { scan: ScanKey[]; vk: number[] } {
    const scan: ScanKey[] = [];
    const vk: number[] = [];
    for (const h of this.held.values()) {
      if (!h.down) continue;
      if (h.action.kind === 'scan') scan.push(h.action.key);
      else vk.push(h.action.vk);
    }
    return { scan, vk };
  }

  key(code: string, key: string, down: boolean, signal?: AbortSignal): void {
    if (!down) return this.up(code);
    if (signal?.aborted) return;
    const role = roleOf(code, key);
    const text = role ? undefined : typedText(key);
    if (text === undefined) return this.press(code, role);
    const layout = this.layout();
    for (const ch of text) {
      if (signal?.aborted) return;
      this.send(this.typing(layout.stroke(ch), ch));
    }
  }

  releaseAll(): void {
    const ups = [...this.held.values()]
      .filter((h) => h.down)
      .reverse()
      .map((h) => ({ ...h.action, up: true }));
    this.held.clear();
    this.send(ups);
  }

  private up(code: string): void {
    const h = this.held.get(code);
    if (!h) return; // a key that typed text on key-down, or one never pressed
    this.held.delete(code);
    if (h.down) this.send([{ ...h.action, up: true }]);
  }

  private press(code: string, role: Role | undefined): void {
    const existing = this.held.get(code);
    if (existing) {
      // auto-repeat: Windows repeats injected keys only when told, a modifier never needs it
      if (!existing.role) this.send([{ ...existing.action, up: false }]);
      return;
    }
    const scan = scanCodeOf(code);
    const action = scan ? { kind: 'scan' as const, key: scan } : code === 'Pause' ? { kind: 'vk' as const, vk: VK_PAUSE } : undefined;
    if (!action) return; // a key we do not press (media keys)
    // the technician's AltGr only chooses characters: each one that needs it gets its own Ctrl + right
    // Alt. Held alone it would be a plain Alt on a layout without AltGr, and its release open the menu.
    const down = role !== 'altgr';
    this.held.set(code, { action, role, down });
    if (down) this.send([{ ...action, up: false }]);
  }

  /** One character's records: modifiers set as its key needs, the key pressed and released, modifiers put back. */
  private typing(stroke: Stroke | undefined, ch: string): KeyAction[] {
    const altgrHeld = [...this.held.values()].some((h) => h.role === 'altgr');
    const held = [...this.held.values()].filter((h) => h.down);
    const has = (...roles: Role[]) => held.some((h) => h.role !== undefined && roles.includes(h.role));
    const lift = held.filter((h) => {
      if (!h.role || h.role === 'meta') return false;
      if (!stroke) return true; // a Unicode character: nothing of the technician's may change it
      if (h.role === 'shift') return !stroke.shift;
      return h.role === 'ctrl' && altgrHeld && !stroke.altgr; // the Ctrl that came with a Windows technician's AltGr
    });
    const add: ScanKey[] = [];
    if (stroke?.shift && !has('shift')) add.push(SHIFT);
    if (stroke?.altgr) {
      if (!has('ctrl')) add.push(CTRL);
      if (!has('alt')) add.push(RIGHT_ALT);
    }
    const out: KeyAction[] = [];
    // an Alt let go with no key since its press opens the window's menu: a key no layout uses in between prevents that
    if (lift.some((h) => h.role === 'alt' || h.role === 'altgr')) out.push({ kind: 'vk', vk: VK_MENU_MASK, up: false }, { kind: 'vk', vk: VK_MENU_MASK, up: true });
    for (const h of lift) out.push({ ...h.action, up: true });
    for (const k of add) out.push({ kind: 'scan', key: k, up: false });
    if (stroke) out.push({ kind: 'scan', key: stroke.key, up: false }, { kind: 'scan', key: stroke.key, up: true });
    else for (const unit of utf16Units(ch)) out.push({ kind: 'unicode', unit, up: false }, { kind: 'unicode', unit, up: true });
    for (const k of [...add].reverse()) out.push({ kind: 'scan', key: k, up: true });
    for (const h of [...lift].reverse()) {
      if (h.role === 'alt' || h.role === 'altgr') h.down = false; // stays up until the technician presses it again
      else out.push({ ...h.action, up: false });
    }
    return out;
  }
}
