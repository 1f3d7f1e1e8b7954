import type { PanelKey, PanelWindow, PlatformEnv, Rect } from '../types.js';
import { X11Connection, getKeyboardMapping, getProperty, internAtom, type XEvent } from './client.js';
import { X11Error } from './errors.js';
import { panelScale, wmHints, wmNormalHints } from './panel-hints.js';

/** Requests of the `x11` package the panel uses beyond those x11.d.ts declares for the other backends. */
interface PanelRequests {
  CreateWindow(id: number, parent: number, x: number, y: number, width: number, height: number, border: number, depth: number, cls: number, visual: number, values: { backgroundPixel?: number; eventMask?: number }): void;
  CreateGC(gc: number, drawable: number, values: Record<string, number>): void;
  FreeGC(gc: number): void;
  PutImage(format: number, drawable: number, gc: number, width: number, height: number, dstX: number, dstY: number, leftPad: number, depth: number, data: Buffer): void;
  ConfigureWindow(window: number, values: { x?: number; y?: number; width?: number; height?: number }): void;
}

const INPUT_OUTPUT = 1;
const Z_PIXMAP = 2;
const REPLACE = 0;
// core event masks
const KEY_PRESS = 0x1;
const BUTTON_PRESS = 0x4;
const BUTTON_RELEASE = 0x8;
const BUTTON1_MOTION = 0x100;
const EXPOSURE = 0x8000;
const SUBSTRUCTURE_NOTIFY = 0x80000;
const SUBSTRUCTURE_REDIRECT = 0x100000;
const SHIFT_MASK = 0x1;
/** a request may carry at most this much of the picture (well under any server's limit) */
const MAX_PUT_BYTES = 256 * 1024;
/** where the panel goes: the top-right corner, this far from the edges */
const MARGIN = 16;

const KEYS: Record<number, PanelKey> = { 0xff09: 'tab', 0xfe20: 'shift-tab', 0xff0d: 'enter', 0xff8d: 'enter', 0x20: 'enter', 0xff1b: 'escape' };

/**
 * The session panel as an X11 window: a managed (not override-redirect) top-level window the
 * window manager keeps above the others (`_NET_WM_STATE_ABOVE`), out of the taskbar and pager,
 * of type UTILITY, without decorations (`_MOTIF_WM_HINTS`), not focused when it appears
 * (`_NET_WM_USER_TIME` 0), in the top-right corner. The picture goes up with PutImage in bands
 * below the request limit; Expose repaints it. The customer drags it by the title strip (the
 * window moves with the pointer while the button is held), clicks buttons, or uses Tab / Enter / Escape.
 */
export class X11PanelWindow implements PanelWindow {
  private image: { width: number; height: number; data: Buffer } | undefined;
  private dragArea: Rect = { x: 0, y: 0, width: 0, height: 0 };
  private size = { width: 1, height: 1 };
  private press: { x: number; y: number; drag?: { dx: number; dy: number } } | undefined;
  private readonly clickListeners: Array<(x: number, y: number) => void> = [];
  private readonly keyListeners: Array<(key: PanelKey) => void> = [];
  private mapped = false;

  private constructor(
    private readonly x: X11Connection,
    private readonly c: X11Connection['client'] & PanelRequests,
    private readonly window: number,
    private readonly gc: number,
    private readonly keysyms: Map<number, number>,
    private readonly atoms: Record<string, number>,
    readonly scale: number,
  ) {
    x.on('event', (e) => this.onEvent(e));
  }

  static async open(display: string | undefined, opts: { title: string; env: PlatformEnv }): Promise<X11PanelWindow> {
    if (!display) throw X11Error.connect('', 'DISPLAY is not set');
    const x = await X11Connection.open(display);
    try {
      const c = x.client as X11Connection['client'] & PanelRequests;
      const names = ['_NET_WM_STATE', '_NET_WM_STATE_ABOVE', '_NET_WM_STATE_SKIP_TASKBAR', '_NET_WM_STATE_SKIP_PAGER', '_NET_WM_STATE_STICKY', '_NET_WM_WINDOW_TYPE', '_NET_WM_WINDOW_TYPE_UTILITY', '_NET_WM_NAME', 'UTF8_STRING', '_MOTIF_WM_HINTS', '_NET_WM_USER_TIME', '_NET_WM_PID', 'WM_PROTOCOLS', 'WM_DELETE_WINDOW', 'RESOURCE_MANAGER'];
      const atoms: Record<string, number> = {};
      for (const name of names) atoms[name] = await internAtom(x, name);
      const resources = await getProperty(x, x.root, atoms.RESOURCE_MANAGER!, false, 64 * 1024).catch(() => undefined);
      const scale = panelScale(opts.env.FERNHILFE_PANEL_SCALE, resources?.data.toString('latin1'));
      const mapping = await getKeyboardMapping(x);
      const keysyms = new Map<number, number>();
      mapping.forEach((row, i) => keysyms.set(x.keycodes.min + i, row[0] ?? 0));
      // the picture is 32-bit BGRX: a 24- or 32-bit TrueColor root (every desktop today); anything else gets no panel
      const depth = c.display.screen[0]!.root_depth;
      if (depth !== 24 && depth !== 32) throw X11Error.connect(display, `a root depth of ${depth} bits (the panel needs 24 or 32)`);
      const window = c.AllocID();
      c.CreateWindow(window, x.root, 0, 0, 1, 1, 0, 0, INPUT_OUTPUT, 0, { backgroundPixel: 0xffffff, eventMask: EXPOSURE | KEY_PRESS | BUTTON_PRESS | BUTTON_RELEASE | BUTTON1_MOTION });
      const gc = c.AllocID();
      c.CreateGC(gc, window, {});
      const panel = new X11PanelWindow(x, c, window, gc, keysyms, atoms, scale);
      panel.describe(opts.title);
      await x.sync();
      return panel;
    } catch (err) {
      await x.close();
      throw err;
    }
  }

  show(image: { width: number; height: number; data: Buffer }, dragArea: Rect): void {
    if (!this.x.isOpen) return;
    this.image = image;
    this.dragArea = dragArea;
    if (image.width !== this.size.width || image.height !== this.size.height || !this.mapped) this.resize(image.width, image.height);
    this.paint();
  }

  onClick(listener: (x: number, y: number) => void): void {
    this.clickListeners.push(listener);
  }

  onKey(listener: (key: PanelKey) => void): void {
    this.keyListeners.push(listener);
  }

  async close(): Promise<void> {
    if (!this.x.isOpen) return;
    this.c.FreeGC(this.gc);
    this.c.DestroyWindow(this.window);
    await this.x.sync().catch(() => undefined);
    await this.x.close();
  }

  /** names, class, type, state and hints, set before the window is mapped (the window manager reads them then) */
  private describe(title: string): void {
    const a = this.atoms;
    const set = (prop: number, type: number, format: 8 | 32, data: Buffer) => this.c.ChangeProperty(REPLACE, this.window, prop, type, format, data);
    const u32 = (...v: number[]) => Buffer.from(new Uint32Array(v).buffer);
    const std = this.c.atoms;
    set(std.WM_NAME!, std.STRING!, 8, Buffer.from(title.replace(/[^\x20-\xff]/g, '?'), 'latin1'));
    set(a._NET_WM_NAME!, a.UTF8_STRING!, 8, Buffer.from(title, 'utf8'));
    set(std.WM_CLASS!, std.STRING!, 8, Buffer.from('fernhilfe-panel\0Fernhilfe\0', 'latin1'));
    set(a._NET_WM_WINDOW_TYPE!, std.ATOM!, 32, u32(a._NET_WM_WINDOW_TYPE_UTILITY!));
    set(a._NET_WM_STATE!, std.ATOM!, 32, u32(a._NET_WM_STATE_ABOVE!, a._NET_WM_STATE_SKIP_TASKBAR!, a._NET_WM_STATE_SKIP_PAGER!, a._NET_WM_STATE_STICKY!));
    // no title bar or border from the window manager: the panel draws its own title strip
    set(a._MOTIF_WM_HINTS!, a._MOTIF_WM_HINTS!, 32, u32(2, 0, 0, 0, 0));
    set(std.WM_HINTS!, std.WM_HINTS!, 32, wmHints());
    set(a._NET_WM_USER_TIME!, std.CARDINAL!, 32, u32(0)); // do not take the focus from what the customer works in
    set(a._NET_WM_PID!, std.CARDINAL!, 32, u32(process.pid));
    set(a.WM_PROTOCOLS!, std.ATOM!, 32, u32(a.WM_DELETE_WINDOW!)); // a close from the window manager is ignored: End session ends
  }

  private resize(width: number, height: number): void {
    const first = !this.mapped;
    this.size = { width, height };
    // placed once, in the top-right corner; after that the window manager (and the customer) keep its place
    const pos = first ? { x: Math.max(0, this.x.screen.width - MARGIN - width), y: MARGIN } : undefined;
    this.c.ChangeProperty(REPLACE, this.window, this.c.atoms.WM_NORMAL_HINTS!, this.c.atoms.WM_SIZE_HINTS!, 32, wmNormalHints(pos, this.size));
    this.c.ConfigureWindow(this.window, { ...pos, ...this.size });
    if (first) {
      this.c.MapWindow(this.window);
      this.mapped = true;
      // some window managers drop the initial state: ask once more, as the EWMH says a mapped window does
      this.clientMessage(this.atoms._NET_WM_STATE!, [1, this.atoms._NET_WM_STATE_ABOVE!, 0, 1, 0]);
    }
  }

  /** the whole picture, in bands that fit a request */
  private paint(): void {
    const img = this.image;
    if (!img || !this.x.isOpen) return;
    const rowBytes = img.width * 4;
    const limit = Math.min(MAX_PUT_BYTES, this.c.display.max_request_length * 4 - 64);
    const rows = Math.max(1, Math.floor(limit / rowBytes));
    const depth = this.c.display.screen[0]!.root_depth;
    for (let y = 0; y < img.height; y += rows) {
      const h = Math.min(rows, img.height - y);
      this.c.PutImage(Z_PIXMAP, this.window, this.gc, img.width, h, 0, y, 0, depth, img.data.subarray(y * rowBytes, (y + h) * rowBytes));
    }
  }

  private onEvent(e: XEvent): void {
    if (e.wid !== this.window) return;
    switch (e.name) {
      case 'Expose':
        if (e.count === 0) this.paint();
        return;
      case 'ButtonPress':
        return this.onPress(e);
      case 'MotionNotify':
        return this.onMotion(e);
      case 'ButtonRelease':
        return this.onRelease(e);
      case 'KeyPress':
        return this.onKeyPress(e);
    }
  }

  private onPress(e: XEvent): void {
    if (e.keycode !== 1) return;
    const at = { x: Number(e.x), y: Number(e.y) };
    const d = this.dragArea;
    const inDrag = at.x >= d.x && at.y >= d.y && at.x < d.x + d.width && at.y < d.y + d.height;
    // the window's origin is where the pointer is on the screen less where it is in the window
    this.press = inDrag ? { ...at, drag: { dx: at.x, dy: at.y } } : at;
  }

  private onMotion(e: XEvent): void {
    const drag = this.press?.drag;
    if (!drag) return;
    const screen = this.x.screen;
    const x = Math.max(0, Math.min(screen.width - this.size.width, Number(e.rootx) - drag.dx));
    const y = Math.max(0, Math.min(screen.height - this.size.height, Number(e.rooty) - drag.dy));
    this.c.ConfigureWindow(this.window, { x, y });
  }

  private onRelease(e: XEvent): void {
    const press = this.press;
    this.press = undefined;
    if (e.keycode !== 1 || !press || press.drag) return;
    const x = Number(e.x);
    const y = Number(e.y);
    // a click is a press and a release on the same spot (a few pixels of shake allowed)
    if (Math.abs(x - press.x) > 8 || Math.abs(y - press.y) > 8) return;
    for (const l of this.clickListeners) l(press.x, press.y);
  }

  private onKeyPress(e: XEvent): void {
    const sym = this.keysyms.get(Number(e.keycode)) ?? 0;
    let key = KEYS[sym];
    if (key === 'tab' && (Number(e.buttons) & SHIFT_MASK) !== 0) key = 'shift-tab';
    if (key) for (const l of this.keyListeners) l(key);
  }

  /** an EWMH client message about this window to the root (the window manager acts on it) */
  private clientMessage(type: number, data: number[]): void {
    const b = Buffer.alloc(32);
    b[0] = 33; // ClientMessage
    b[1] = 32;
    b.writeUInt32LE(this.window, 4);
    b.writeUInt32LE(type, 8);
    data.forEach((v, i) => b.writeUInt32LE(v >>> 0, 12 + i * 4));
    this.c.SendEvent(this.x.root, 0, SUBSTRUCTURE_REDIRECT | SUBSTRUCTURE_NOTIFY, b);
  }
}
