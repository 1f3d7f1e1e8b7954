import type { CursorImage, Damage, PointerInfo, Randr, XFixes } from 'x11';
import { Emitter } from '@fernhilfe/protocol';
import { X11Connection, type XEvent } from './client.js';
import { X11Error } from './errors.js';
import { CaptureError } from '../errors.js';
import type { CaptureOptions, CapturedFrame, CursorShape, Monitor, Rect, ScreenCapture, ScreenCaptureEvents } from '../types.js';
import { straightRgba } from './cursor.js';
import { RANDR_SELECT, isRandrChange, openRandr, readMonitors } from './monitors.js';
import { openGrabber, type PixelGrabber } from './grabber.js';

/** `FERNHILFE_CAPTURE=core` forces the core GetImage path (tests, and a display where SHM misbehaves). */
export const CAPTURE_METHOD_ENV = 'FERNHILFE_CAPTURE';

/**
 * Linux/X11 screen capture over one connection of its own, made with the pure-JS `x11` package
 * (with MIT-SHM descriptor passing on):
 * - DAMAGE (level NonEmpty) on the root: one event when something changes; `grab()` takes the
 *   changed region (Subtract into an XFIXES region, FetchRegion), which also re-arms the event;
 * - pixels by MIT-SHM GetImage, or core GetImage of the changed rectangles (grabber.ts);
 * - XFIXES cursor shape (CursorNotify -> GetCursorImage) and QueryPointer for the position;
 * - RANDR 1.5 monitors (GetMonitors), re-read on every RandR change event.
 */
export class X11ScreenCapture extends Emitter<ScreenCaptureEvents> implements ScreenCapture {
  private monitorList: Monitor[];
  private current: Monitor;
  private area: Rect;
  private needFull = true;
  /** the root window's size: from the connection setup, then from RRScreenChangeNotify */
  private screen: { width: number; height: number };
  private damaged = true;
  private closed = false;
  /** set when a 'pointer-moved' went out; cleared by pointer(): one event per poll, not one per raw motion */
  private moveReported = false;

  private constructor(
    private readonly x: X11Connection,
    private readonly grabber: PixelGrabber,
    private readonly fixes: XFixes,
    private readonly damage: Damage,
    private readonly randr: Randr | undefined,
    private readonly damageId: number,
    private readonly region: number,
    monitors: Monitor[],
    readonly pointerEvents: boolean,
  ) {
    super();
    this.monitorList = monitors;
    this.screen = x.screen;
    this.current = monitors.find((m) => m.primary) ?? monitors[0]!;
    this.area = evenArea(this.current);
    x.on('event', (e) => this.onEvent(e));
    x.on('close', ({ error }) => {
      if (!this.closed) this.emit('closed', error ?? new CaptureError('closed', 'the X connection closed'));
    });
    // X errors of requests nobody waits for (e.g. a monitor vanished mid-grab): the next grab retries
    x.on('error', () => undefined);
  }

  static async open(opts: CaptureOptions = {}): Promise<X11ScreenCapture> {
    const display = opts.display ?? process.env.DISPLAY;
    if (!display) throw CaptureError.noDisplay('no X display: DISPLAY is not set');
    let x: X11Connection;
    try {
      x = await X11Connection.open(display, { shm: true });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      // the server answered the setup with a refusal (authorisation): 'X server connection failed: <reason>'
      throw /connection failed|authori[sz]/i.test(msg) ? CaptureError.refused(msg) : CaptureError.noDisplay(msg);
    }
    try {
      const depth = x.client.display.screen[0]!.root_depth;
      if (depth !== 24 && depth !== 32) throw CaptureError.refused(`unsupported colour depth ${depth}`);
      // XFIXES first: the DAMAGE spec wants its version negotiated before DAMAGE's
      const fixes = await need(x.extension('fixes'), 'XFIXES');
      if (fixes.major < 4) throw CaptureError.missingExtension('XFIXES 4');
      const damage = await need(x.extension('damage'), 'DAMAGE');
      const randr = await openRandr(x);
      const method = opts.method ?? (process.env[CAPTURE_METHOD_ENV] === 'core' ? 'core' : 'auto');
      const grabber = await openGrabber(x, method);
      const root = x.root;
      const damageId = x.client.AllocID();
      damage.Create(damageId, root, damage.ReportLevel.NonEmpty);
      const region = x.client.AllocID();
      fixes.CreateRegion(region, []);
      fixes.SelectCursorInput(root, fixes.CursorNotifyMask.DisplayCursor);
      randr?.SelectInput(root, RANDR_SELECT(randr));
      const pointerEvents = await selectRawMotion(x);
      const monitors = await readMonitors(x, randr, x.screen);
      await x.sync();
      return new X11ScreenCapture(x, grabber, fixes, damage, randr, damageId, region, monitors, pointerEvents);
    } catch (err) {
      void x.close();
      throw err;
    }
  }

  get method(): string {
    return this.grabber.method;
  }

  get monitors(): readonly Monitor[] {
    return this.monitorList;
  }

  get selected(): Monitor {
    return this.current;
  }

  select(monitorId: string): boolean {
    const m = this.monitorList.find((c) => c.id === monitorId);
    if (!m) return false;
    this.current = m;
    this.area = evenArea(m);
    this.needFull = true;
    return true;
  }

  async grab(opts: { full?: boolean } = {}): Promise<CapturedFrame | undefined> {
    const captureTime = Date.now();
    let dirty: Rect[] | undefined;
    if (this.damaged) {
      // empty the damage (re-arms DamageNotify) and learn what it covered
      this.damaged = false;
      this.damage.Subtract(this.damageId, 0, this.region);
      const fetched = await this.x.reply<{ rectangles: Rect[] }>((cb) => this.fixes.FetchRegion(this.region, cb));
      dirty = clipTo(fetched.rectangles, this.area);
    }
    const full = this.needFull || opts.full === true;
    if (!full && !dirty?.length) return undefined;
    const area = this.area;
    const data = await this.grabber.grab(area, full ? undefined : dirty);
    this.needFull = false;
    return { width: area.width, height: area.height, data, captureTime, dirty: full ? undefined : dirty };
  }

  async cursorShape(): Promise<CursorShape | undefined> {
    const c = await this.x.reply<CursorImage>((cb) => this.fixes.GetCursorImage(cb));
    if (c.width === 0 || c.height === 0) return undefined;
    return { serial: c.cursorSerial, width: c.width, height: c.height, hotX: c.xhot, hotY: c.yhot, rgba: straightRgba(c.cursorImage, c.width * c.height) };
  }

  async pointer(): Promise<{ x: number; y: number } | undefined> {
    this.moveReported = false;
    const p = await this.x.reply<PointerInfo>((cb) => this.x.client.QueryPointer(this.x.root, cb));
    return p.sameScreen ? { x: p.rootX, y: p.rootY } : undefined;
  }

  /** Frees the damage, region and shared memory segment and closes the connection; resolves when the socket is gone. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    try {
      if (this.x.isOpen) {
        this.damage.Destroy(this.damageId);
        this.fixes.DestroyRegion(this.region);
      }
    } finally {
      this.grabber.close();
    }
    return this.x.close();
  }

  private onEvent(e: XEvent): void {
    if (e.name === 'XIRawMotion') {
      if (this.moveReported) return;
      this.moveReported = true;
      this.emit('pointer-moved', undefined);
    } else if (e.type === this.damage.firstEvent) {
      if (this.damaged) return;
      this.damaged = true;
      this.emit('damage', undefined);
    } else if (e.type === this.fixes.firstEvent + this.fixes.events.CursorNotify) {
      this.cursorShape().then(
        (shape) => shape && this.emit('cursor-shape', shape),
        () => undefined,
      );
    } else if (this.randr && isRandrChange(this.randr, e.type)) {
      if (e.name === 'RRScreenChangeNotify' && typeof e.width === 'number' && typeof e.height === 'number') this.screen = { width: e.width, height: e.height };
      void this.refreshMonitors();
    }
  }

  private async refreshMonitors(): Promise<void> {
    const list = await readMonitors(this.x, this.randr, this.screen).catch(() => undefined);
    if (!list || this.closed) return;
    if (JSON.stringify(list) === JSON.stringify(this.monitorList)) return;
    this.monitorList = list;
    const same = list.find((m) => m.id === this.current.id) ?? list.find((m) => m.primary) ?? list[0]!;
    this.select(same.id);
    this.emit('monitors', list);
  }
}

/**
 * XInput 2 raw motion on the root, for all master devices: the pointer tracker is woken by movement
 * instead of polling a still pointer often. False when the server has no XI2 (the tracker polls).
 */
async function selectRawMotion(x: X11Connection): Promise<boolean> {
  const xi = await x.extension('xinput').catch(() => undefined);
  if (!xi?.xi2) return false;
  const XI_ALL_MASTER_DEVICES = 1;
  xi.XISelectEvents(x.root, { deviceId: XI_ALL_MASTER_DEVICES, mask: [xi.EventType.RawMotion] });
  return true;
}

/** An extension we cannot do without: its absence becomes CaptureError('missing-extension'). */
function need<T>(p: Promise<T>, name: string): Promise<T> {
  return p.catch((err: unknown) => {
    throw err instanceof X11Error && err.reason === 'no-extension' ? CaptureError.missingExtension(name) : err;
  });
}

export const openX11Capture = (opts: CaptureOptions): Promise<ScreenCapture> => X11ScreenCapture.open(opts);

export function intersect(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : undefined;
}

/** The encoder needs even sizes (4:2:0 chroma): drop the last odd row or column. */
export function evenArea(r: Rect): Rect {
  return { x: r.x, y: r.y, width: Math.max(2, r.width & ~1), height: Math.max(2, r.height & ~1) };
}

/** `rects` clipped to `area`, in coordinates relative to `area`. */
export function clipTo(rects: readonly Rect[], area: Rect): Rect[] {
  const out: Rect[] = [];
  for (const r of rects) {
    const c = intersect(r, area);
    if (c) out.push({ x: c.x - area.x, y: c.y - area.y, width: c.width, height: c.height });
  }
  return out;
}
