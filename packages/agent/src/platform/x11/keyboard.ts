import { KeyboardMap, keysymForCodepoint, modifierKeysyms, namedKeysym, printable, type KeyStroke } from './keymap.js';
import { getKeyboardMapping, getModifierMapping, type X11Connection } from './client.js';
import { isEvent } from './events.js';

/** What the keyboard needs from XTEST: press or release one keycode. */
export type KeyFaker = (kind: 'press' | 'release', keycode: number) => void;

/** A spare keycode lent to a character no key types; given back after this long unused. */
const REMAP_HOLD_MS = 1500;
/**
 * Clients fetch a changed mapping when they read the MappingNotify, which can be a while after the
 * key event was queued behind it; a lent keycode is not lent again to another character this soon.
 */
const REMAP_REUSE_MS = 300;

interface Lent {
  keysym: number;
  lastUse: number;
}

/**
 * Types on the customer's X keyboard what the technician meant. Keys arrive as the browser's
 * `code` + `key`; a key that types text goes by `key` (the character), looked up in the customer's
 * current mapping; modifiers and named keys (Enter, F5, ArrowLeft…) are held and released like the
 * technician does. See docs/agent-input.md.
 */
export class X11Keyboard {
  private map: KeyboardMap | undefined;
  private stale = true;
  /** what we hold down: browser code -> keycode */
  private readonly held = new Map<string, number>();
  private readonly lent = new Map<number, Lent>();
  private restoreTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly x: X11Connection,
    private readonly fake: KeyFaker,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    x.on('event', (e) => {
      if (isEvent(e, 'MappingNotify') && e.request !== 2) this.stale = true; // 2: pointer mapping
    });
  }

  /** keycodes held right now (for telling local typing from ours) */
  heldKeycodes(): ReadonlySet<number> {
    return new Set(this.held.values());
  }

  /** Nothing more is pressed once `signal` aborts (a key may wait for the mapping or a lent keycode). */
  async key(code: string, key: string, down: boolean, signal?: AbortSignal): Promise<void> {
    if (!down) return this.up(code);
    const map = await this.current();
    if (signal?.aborted) return;
    const modifier = modifierKeysyms(code, key);
    if (modifier) return this.press(code, map.keycodeFor(modifier));
    const named = namedKeysym(key);
    if (named !== undefined) return this.press(code, map.keycodeFor([named]));
    const points = printable(key);
    if (points) for (const cp of points) if (!signal?.aborted) await this.type(cp, signal);
  }

  async releaseAll(): Promise<void> {
    for (const [code, keycode] of [...this.held].reverse()) {
      this.held.delete(code);
      this.fake('release', keycode);
    }
    await Promise.resolve();
  }

  /** Gives every lent keycode back (control ended, or the injector closes). */
  restoreAll(): void {
    clearTimeout(this.restoreTimer);
    this.restoreTimer = undefined;
    if (!this.map || this.lent.size === 0) return;
    for (const keycode of this.lent.keys()) this.setKeysym(keycode, 0);
    this.lent.clear();
  }

  private up(code: string): void {
    const keycode = this.held.get(code);
    if (keycode === undefined) return; // a printable key (typed on key-down) or one never pressed
    this.held.delete(code);
    this.fake('release', keycode);
  }

  private press(code: string, keycode: number | undefined): void {
    if (keycode === undefined || this.held.has(code)) return; // auto-repeat of a held key: already down
    this.held.set(code, keycode);
    this.fake('press', keycode);
  }

  /** Types one character: the customer's modifiers set exactly as its key needs, then put back. */
  private async type(codepoint: number, signal?: AbortSignal): Promise<void> {
    const map = await this.current();
    const stroke = map.strokeFor(codepoint) ?? (await this.lend(map, keysymForCodepoint(codepoint), signal));
    if (!stroke || signal?.aborted) return;
    const heldNow = [...this.held.values()];
    const lift = heldNow.filter((k) => (!stroke.shift && map.shiftKeycodes.has(k)) || (!stroke.level3 && map.level3Keycodes.has(k)));
    const add: number[] = [];
    if (stroke.shift && !heldNow.some((k) => map.shiftKeycodes.has(k))) add.push(first(map.shiftKeycodes));
    if (stroke.level3 && !heldNow.some((k) => map.level3Keycodes.has(k))) add.push(first(map.level3Keycodes));
    for (const k of lift) this.fake('release', k);
    for (const k of add) this.fake('press', k);
    this.fake('press', stroke.keycode);
    this.fake('release', stroke.keycode);
    for (const k of add.reverse()) this.fake('release', k);
    for (const k of lift.reverse()) this.fake('press', k);
  }

  /** No key types this keysym: lend a keycode that has no symbols, mapped to it for a while. */
  private async lend(map: KeyboardMap, keysym: number, signal?: AbortSignal): Promise<KeyStroke | undefined> {
    const now = Date.now();
    for (const [keycode, l] of this.lent) {
      if (l.keysym === keysym) {
        l.lastUse = now;
        this.scheduleRestore();
        return { keycode, shift: false, level3: false };
      }
    }
    const free = map.spare.find((k) => !this.lent.has(k));
    let keycode = free;
    if (keycode === undefined) {
      // every spare is lent: take back the one unused longest, after clients had time to see its last use
      const [oldest, l] = [...this.lent].sort((a, b) => a[1].lastUse - b[1].lastUse)[0] ?? [];
      if (oldest === undefined || !l) return undefined;
      const wait = l.lastUse + REMAP_REUSE_MS - now;
      if (wait > 0) await this.sleep(wait, signal);
      if (signal?.aborted || this.lent.get(oldest) !== l) return undefined; // control ended meanwhile
      keycode = oldest;
    }
    this.setKeysym(keycode, keysym);
    this.lent.set(keycode, { keysym, lastUse: Date.now() });
    this.scheduleRestore();
    return { keycode, shift: false, level3: false };
  }

  private setKeysym(keycode: number, keysym: number): void {
    const per = this.map?.keysymsOf(keycode).length || 2;
    const row = Array.from({ length: per }, (_, i) => (i < 2 ? keysym : 0));
    if (this.x.isOpen) this.x.client.ChangeKeyboardMapping(keycode, per, row);
  }

  private scheduleRestore(): void {
    clearTimeout(this.restoreTimer);
    this.restoreTimer = setTimeout(() => this.restoreAll(), REMAP_HOLD_MS);
    this.restoreTimer.unref?.();
  }

  /** The mapping as the X server has it now (read again after every MappingNotify). */
  private async current(): Promise<KeyboardMap> {
    if (this.map && !this.stale) return this.map;
    this.stale = false;
    const min = this.x.keycodes.min;
    const [keys, modifiers] = await Promise.all([getKeyboardMapping(this.x), getModifierMapping(this.x)]);
    // our own lent keycodes stay spare in the new map: only we use them
    const rows = keys.map((row, i) => (this.lent.has(min + i) ? row.map(() => 0) : row));
    this.map = new KeyboardMap(min, rows, modifiers);
    return this.map;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function first(set: ReadonlySet<number>): number {
  return set.values().next().value!;
}
