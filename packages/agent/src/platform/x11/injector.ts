import type { PointerButton } from '@fernhilfe/protocol';
import type { XTest } from 'x11';
import { X11Connection, queryKeymap, queryPointer } from './client.js';
import { X11Error } from './errors.js';
import { InputError } from '../errors.js';
import type { InputInjector } from '../types.js';
import { X11Keyboard } from './keyboard.js';

/** browser MouseEvent.button -> X button (left, middle, right, back, forward) */
const X_BUTTON: Record<PointerButton, number> = { 0: 1, 1: 2, 2: 3, 3: 8, 4: 9 };
const WHEEL = { up: 4, down: 5, left: 6, right: 7 } as const;
/** Button1..Button5 in a pointer state mask */
const BUTTON_MASK = (b: number) => 1 << (7 + b);

/**
 * Input for Linux/X11 through the XTEST extension (FakeInput, from the `x11` package): the events look
 * to every X client like the customer's own mouse and keyboard. One X connection of its own.
 */
export class X11Injector implements InputInjector {
  readonly screen: { width: number; height: number };
  private readonly keyboard: X11Keyboard;
  private readonly buttons = new Set<number>();
  /** where we last put the pointer (or saw it): a different position later means the local user moved it */
  private pointer: { x: number; y: number } | undefined;

  private constructor(
    private readonly x: X11Connection,
    private readonly xtest: XTest,
  ) {
    this.screen = x.screen;
    this.keyboard = new X11Keyboard(x, (kind, keycode) => this.fake(kind === 'press' ? xtest.KeyPress : xtest.KeyRelease, keycode));
  }

  static async open(display = process.env.DISPLAY): Promise<X11Injector> {
    if (!display) throw new InputError('no-display', 'DISPLAY is not set');
    const x = await X11Connection.open(display).catch((err: unknown) => {
      throw new InputError('no-display', err instanceof Error ? err.message : String(err), { cause: err });
    });
    const xtest = await x.extension('xtest').catch(async (err: unknown) => {
      await x.close();
      throw err instanceof X11Error && err.reason === 'no-extension' ? new InputError('no-xtest', err.message, { cause: err }) : err;
    });
    return new X11Injector(x, xtest);
  }

  move(px: number, py: number): Promise<void> {
    const x = clamp(Math.round(px), this.screen.width);
    const y = clamp(Math.round(py), this.screen.height);
    this.fake(this.xtest.MotionNotify, 0, x, y);
    this.pointer = { x, y };
    return Promise.resolve();
  }

  button(button: PointerButton, down: boolean): Promise<void> {
    const b = X_BUTTON[button];
    if (down === this.buttons.has(b)) return Promise.resolve(); // already so: never a second press or a stray release
    if (down) this.buttons.add(b);
    else this.buttons.delete(b);
    this.fake(down ? this.xtest.ButtonPress : this.xtest.ButtonRelease, b);
    return Promise.resolve();
  }

  wheel(dx: number, dy: number): Promise<void> {
    const click = (b: number, n: number) => {
      for (let i = 0; i < n; i++) {
        this.fake(this.xtest.ButtonPress, b);
        this.fake(this.xtest.ButtonRelease, b);
      }
    };
    click(dy < 0 ? WHEEL.up : WHEEL.down, Math.abs(dy));
    click(dx < 0 ? WHEEL.left : WHEEL.right, Math.abs(dx));
    return Promise.resolve();
  }

  key(code: string, key: string, down: boolean, signal?: AbortSignal): Promise<void> {
    return this.keyboard.key(code, key, down, signal);
  }

  async releaseAll(): Promise<void> {
    if (!this.x.isOpen) return;
    await this.keyboard.releaseAll();
    for (const b of [...this.buttons].reverse()) this.fake(this.xtest.ButtonRelease, b);
    this.buttons.clear();
    this.keyboard.restoreAll();
    await this.x.sync();
  }

  async localInputSince(): Promise<boolean> {
    // what we had injected when the queries went out: X answers them after everything sent before on
    // this connection, and our key strokes are pressed and released without a pause in between
    const expected = this.pointer;
    const ours = this.keyboard.heldKeycodes();
    const buttons = new Set(this.buttons);
    const [p, keys] = await Promise.all([queryPointer(this.x), queryKeymap(this.x)]);
    const moved = expected !== undefined && (p.x !== expected.x || p.y !== expected.y);
    if (this.pointer === expected) this.pointer = { x: p.x, y: p.y }; // else we moved it meanwhile: that counts
    let typing = false;
    for (let k = 8; k < 256 && !typing; k++) if ((keys[k >> 3]! >> (k & 7)) & 1 && !ours.has(k)) typing = true;
    // a button down in the pointer's state mask that we did not press: a local click
    let clicking = false;
    for (let b = 1; b <= 5; b++) if (p.mask & BUTTON_MASK(b) && !buttons.has(b)) clicking = true;
    return moved || typing || clicking;
  }

  async close(): Promise<void> {
    if (!this.x.isOpen) return;
    await this.releaseAll().catch(() => undefined);
    await this.x.close();
  }

  /** One XTEST FakeInput: time 0 (now); motion goes to absolute root coordinates. */
  private fake(type: number, detail: number, x = 0, y = 0): void {
    if (!this.x.isOpen) return;
    this.xtest.FakeInput(type, detail, 0, type === this.xtest.MotionNotify ? this.x.root : 0, x, y);
  }
}

function clamp(v: number, size: number): number {
  return Math.max(0, Math.min(size - 1, v));
}
