import type { PointerButton } from '@fernhilfe/protocol';
import { Keysym, keysymForCodepoint, modifierKeysyms, namedKeysym, printable } from '../keysyms.js';
import type { InputInjector } from '../types.js';
import { call } from './dbus.js';
import type { MutterMonitor, MutterSession } from './mutter.js';

/** browser MouseEvent.button -> evdev button (BTN_LEFT, BTN_MIDDLE, BTN_RIGHT, BTN_SIDE, BTN_EXTRA) */
const EV_BUTTON: Record<PointerButton, number> = { 0: 0x110, 1: 0x112, 2: 0x111, 3: 0x113, 4: 0x114 };
const AXIS = { vertical: 0, horizontal: 1 } as const;
/** modifiers mutter presses itself for the level a character needs: released while we type one */
const LEVEL_MODIFIERS = new Set<number>([Keysym.ShiftL, Keysym.ShiftR, Keysym.ISOLevel3Shift, Keysym.ModeSwitch]);

/**
 * Input on GNOME/Wayland through mutter's remote-desktop session: keys as keysyms
 * (NotifyKeyboardKeysym; mutter finds the key and the Shift/AltGr level on the customer's layout, so
 * "@" or "€" arrive as meant whatever the technician's layout), the pointer absolute in the stream of
 * the monitor it is on, buttons, both wheel axes in notches.
 */
export class MutterInjector implements InputInjector {
  readonly screen: { width: number; height: number };
  /** browser code -> the keysym we hold down for it */
  private readonly held = new Map<string, number>();
  private readonly buttons = new Set<number>();
  private closed = false;

  constructor(
    private readonly session: MutterSession,
    private readonly done: () => Promise<void>,
  ) {
    const m = session.monitors;
    this.screen = { width: Math.max(...m.map((s) => s.x + s.width)), height: Math.max(...m.map((s) => s.y + s.height)) };
  }

  private notify(method: string, ...args: unknown[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    return call(this.session.remote, method, ...args);
  }

  private monitorAt(x: number, y: number): MutterMonitor {
    const all = this.session.monitors;
    return all.find((m) => x >= m.x && y >= m.y && x < m.x + m.width && y < m.y + m.height) ?? all.find((m) => m.primary) ?? all[0]!;
  }

  move(x: number, y: number): Promise<void> {
    const m = this.monitorAt(x, y);
    const local = (v: number, size: number) => Math.max(0, Math.min(size - 1, Math.round(v)));
    return this.notify('NotifyPointerMotionAbsolute', m.stream, local(x - m.x, m.width), local(y - m.y, m.height));
  }

  async button(button: PointerButton, down: boolean): Promise<void> {
    const b = EV_BUTTON[button];
    if (down === this.buttons.has(b)) return; // never a second press or a stray release
    if (down) this.buttons.add(b);
    else this.buttons.delete(b);
    await this.notify('NotifyPointerButton', b, down);
  }

  async wheel(dx: number, dy: number): Promise<void> {
    if (dy) await this.notify('NotifyPointerAxisDiscrete', AXIS.vertical, Math.trunc(dy));
    if (dx) await this.notify('NotifyPointerAxisDiscrete', AXIS.horizontal, Math.trunc(dx));
  }

  async key(code: string, key: string, down: boolean, signal?: AbortSignal): Promise<void> {
    if (!down) {
      const ks = this.held.get(code);
      this.held.delete(code);
      if (ks !== undefined) await this.notify('NotifyKeyboardKeysym', ks, false);
      return;
    }
    if (signal?.aborted) return;
    const modifier = modifierKeysyms(code, key)?.[0] ?? namedKeysym(key);
    if (modifier !== undefined) {
      if (this.held.has(code)) return;
      this.held.set(code, modifier);
      return this.notify('NotifyKeyboardKeysym', modifier, true);
    }
    const points = printable(key);
    if (!points) return;
    // the character itself says its level: let go of Shift/AltGr meanwhile, mutter presses what it needs.
    // All sent at once (D-Bus keeps their order): a press waiting for its release would let the
    // focused window's own key repeat type the character again.
    const levels = [...this.held.values()].filter((ks) => LEVEL_MODIFIERS.has(ks));
    const sent = levels.map((ks) => this.notify('NotifyKeyboardKeysym', ks, false));
    for (const cp of points) {
      if (signal?.aborted) break;
      const ks = keysymForCodepoint(cp);
      sent.push(this.notify('NotifyKeyboardKeysym', ks, true), this.notify('NotifyKeyboardKeysym', ks, false));
    }
    sent.push(...levels.map((ks) => this.notify('NotifyKeyboardKeysym', ks, true)));
    await Promise.all(sent);
  }

  async releaseAll(): Promise<void> {
    const keys = [...this.held.values()].reverse();
    this.held.clear();
    for (const ks of keys) await this.notify('NotifyKeyboardKeysym', ks, false);
    const buttons = [...this.buttons].reverse();
    this.buttons.clear();
    for (const b of buttons) await this.notify('NotifyPointerButton', b, false);
  }

  /** Mutter tells a remote-desktop client nothing of local input: never known here (docs/agent-wayland.md). */
  localInputSince(): Promise<boolean> {
    return Promise.resolve(false);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.releaseAll().catch(() => undefined);
    this.closed = true;
    await this.done();
  }
}
