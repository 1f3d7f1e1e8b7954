import type { PointerButton } from '@fernhilfe/protocol';
import { Keysym, keysymForCodepoint, modifierKeysyms, namedKeysym, printable } from '../keysyms.js';
import { InputError } from '../errors.js';
import type { InputInjector } from '../types.js';
import type { CastMonitor, RemoteSession } from './remote.js';

/** browser MouseEvent.button -> evdev button (BTN_LEFT, BTN_MIDDLE, BTN_RIGHT, BTN_SIDE, BTN_EXTRA) */
const EV_BUTTON: Record<PointerButton, number> = { 0: 0x110, 1: 0x112, 2: 0x111, 3: 0x113, 4: 0x114 };
const AXIS = { vertical: 0, horizontal: 1 } as const;
/** modifiers mutter presses itself for the level a character needs: released while we type one */
const LEVEL_MODIFIERS = new Set<number>([Keysym.ShiftL, Keysym.ShiftR, Keysym.ISOLevel3Shift, Keysym.ModeSwitch]);

/**
 * Input on Wayland through a remote-desktop session (mutter's own, or the desktop portal's): keys as keysyms
 * (NotifyKeyboardKeysym; mutter finds the key and the Shift/AltGr level on the customer's layout, so
 * "@" or "€" arrive as meant whatever the technician's layout), the pointer absolute in the stream of
 * the monitor it is on, buttons, both wheel axes in notches.
 */
export class WaylandInjector implements InputInjector {
  readonly screen: { width: number; height: number };
  /** browser code -> the keysym we hold down for it */
  private readonly held = new Map<string, number>();
  private readonly buttons = new Set<number>();
  private closed = false;

  constructor(
    private readonly session: RemoteSession,
    private readonly done: () => Promise<void>,
  ) {
    if (session.input.refused) throw new InputError('no-display', session.input.refused);
    const m = session.monitors;
    this.screen = { width: Math.max(...m.map((s) => s.x + s.width)), height: Math.max(...m.map((s) => s.y + s.height)) };
  }

  private keysym(ks: number, down: boolean): Promise<void> {
    return this.closed ? Promise.resolve() : this.session.input.keysym(ks, down);
  }

  private monitorAt(x: number, y: number): CastMonitor {
    const all = this.session.monitors;
    return all.find((m) => x >= m.x && y >= m.y && x < m.x + m.width && y < m.y + m.height) ?? all.find((m) => m.primary) ?? all[0]!;
  }

  move(x: number, y: number): Promise<void> {
    const m = this.monitorAt(x, y);
    const local = (v: number, size: number) => Math.max(0, Math.min(size - 1, Math.round(v)));
    return this.closed ? Promise.resolve() : this.session.input.motion(m, local(x - m.x, m.width), local(y - m.y, m.height));
  }

  async button(button: PointerButton, down: boolean): Promise<void> {
    const b = EV_BUTTON[button];
    if (down === this.buttons.has(b)) return; // never a second press or a stray release
    if (down) this.buttons.add(b);
    else this.buttons.delete(b);
    if (!this.closed) await this.session.input.button(b, down);
  }

  async wheel(dx: number, dy: number): Promise<void> {
    if (this.closed) return;
    if (dy) await this.session.input.axis(AXIS.vertical, Math.trunc(dy));
    if (dx) await this.session.input.axis(AXIS.horizontal, Math.trunc(dx));
  }

  async key(code: string, key: string, down: boolean, signal?: AbortSignal): Promise<void> {
    if (!down) {
      const ks = this.held.get(code);
      this.held.delete(code);
      if (ks !== undefined) await this.keysym(ks, false);
      return;
    }
    if (signal?.aborted) return;
    const modifier = modifierKeysyms(code, key)?.[0] ?? namedKeysym(key);
    if (modifier !== undefined) {
      if (this.held.has(code)) return;
      this.held.set(code, modifier);
      return this.keysym(modifier, true);
    }
    const points = printable(key);
    if (!points) return;
    // the character itself says its level: let go of Shift/AltGr meanwhile, mutter presses what it needs.
    // All handed over at once (D-Bus keeps their order; the portal's session sends them one after the
    // other): a press waiting here for its release would let the focused window's own key repeat type
    // the character again.
    const levels = [...this.held.values()].filter((ks) => LEVEL_MODIFIERS.has(ks));
    const sent = levels.map((ks) => this.keysym(ks, false));
    for (const cp of points) {
      if (signal?.aborted) break;
      const ks = keysymForCodepoint(cp);
      sent.push(this.keysym(ks, true), this.keysym(ks, false));
    }
    sent.push(...levels.map((ks) => this.keysym(ks, true)));
    await Promise.all(sent);
  }

  async releaseAll(): Promise<void> {
    const keys = [...this.held.values()].reverse();
    this.held.clear();
    for (const ks of keys) await this.keysym(ks, false);
    const buttons = [...this.buttons].reverse();
    this.buttons.clear();
    for (const b of buttons) if (!this.closed) await this.session.input.button(b, false);
  }

  /** Neither mutter nor the portal tells a remote-desktop client anything of local input: never known here (docs/agent-wayland.md). */
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
