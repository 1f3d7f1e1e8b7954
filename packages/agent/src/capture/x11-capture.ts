import { Emitter } from '@fernhilfe/client';
import { CaptureError } from './errors.js';
import { clipTo, evenArea } from './rect.js';
import type { CaptureOptions, CapturedFrame, CursorShape, Monitor, Rect, ScreenCapture, ScreenCaptureEvents } from './types.js';
import { XConnection } from './x11/connection.js';
import { queryPointer } from './x11/core.js';
import { XDamage } from './x11/damage.js';
import { XRandr, type XMonitor } from './x11/randr.js';
import { XFixes } from './x11/xfixes.js';
import { openGrabber, type PixelGrabber } from './x11-grabber.js';

/**
 * Linux/X11 screen capture over one X connection of our own:
 * - DAMAGE (level NonEmpty) on the root: one event when something changes; `grab()` takes the
 *   changed region (Subtract into an XFIXES region, FetchRegion), which also re-arms the event;
 * - pixels by MIT-SHM GetImage, or core GetImage of the changed rectangles (x11-grabber.ts);
 * - XFIXES cursor shape (CursorNotify -> GetCursorImage) and QueryPointer for the position;
 * - RANDR 1.5 monitors (GetMonitors), re-read on every RandR change event.
 */
export class X11ScreenCapture extends Emitter<ScreenCaptureEvents> implements ScreenCapture {
  private monitorList: Monitor[];
  private current: Monitor;
  private area: Rect;
  private frame: Buffer;
  private needFull = true;
  private damaged = true;
  private closed = false;

  private constructor(
    private readonly x: XConnection,
    private readonly grabber: PixelGrabber,
    private readonly fixes: XFixes,
    private readonly damage: XDamage,
    private readonly randr: XRandr | undefined,
    private readonly damageId: number,
    private readonly region: number,
    monitors: Monitor[],
  ) {
    super();
    this.monitorList = monitors;
    this.current = monitors.find((m) => m.primary) ?? monitors[0]!;
    this.area = evenArea(this.current);
    this.frame = Buffer.alloc(this.area.width * this.area.height * 4);
    x.on('event', (e) => this.onEvent(e));
    x.on('closed', (err) => {
      if (!this.closed) this.emit('closed', err);
    });
    // X errors of requests nobody waits for (e.g. a monitor vanished mid-grab): the next grab retries
    x.on('error', () => undefined);
  }

  static async open(opts: CaptureOptions = {}): Promise<X11ScreenCapture> {
    let x: XConnection;
    try {
      x = await XConnection.open(opts.display);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw /refused/.test(msg) ? CaptureError.refused(msg) : CaptureError.noDisplay(msg);
    }
    try {
      if (x.screen.rootDepth !== 24 && x.screen.rootDepth !== 32) throw CaptureError.refused(`unsupported colour depth ${x.screen.rootDepth}`);
      const fixes = await XFixes.open(x);
      if (!fixes) throw CaptureError.missingExtension('XFIXES');
      const damage = await XDamage.open(x);
      if (!damage) throw CaptureError.missingExtension('DAMAGE');
      const randr = await XRandr.open(x);
      const grabber = await openGrabber(x, opts.method ?? 'auto');
      const root = x.screen.root;
      const damageId = damage.createNonEmpty(root);
      const region = fixes.createRegion();
      fixes.selectCursorInput(root);
      randr?.selectInput(root);
      const monitors = await readMonitors(x, randr);
      await x.sync();
      return new X11ScreenCapture(x, grabber, fixes, damage, randr, damageId, region, monitors);
    } catch (err) {
      x.close();
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
    this.frame = Buffer.alloc(this.area.width * this.area.height * 4);
    this.needFull = true;
    return true;
  }

  async grab(opts: { full?: boolean } = {}): Promise<CapturedFrame | undefined> {
    const captureTime = Date.now();
    let dirty: Rect[] | undefined;
    if (this.damaged) {
      // empty the damage (re-arms DamageNotify) and learn what it covered
      this.damaged = false;
      this.damage.subtract(this.damageId, this.region);
      dirty = clipTo(await this.fixes.fetchRegion(this.region), this.area);
    }
    const full = this.needFull || opts.full === true;
    if (!full && !dirty?.length) return undefined;
    const area = this.area;
    const frame = this.frame;
    await this.grabber.grab(area, frame, full ? undefined : dirty);
    this.needFull = false;
    return { width: area.width, height: area.height, data: frame, captureTime };
  }

  async cursorShape(): Promise<CursorShape | undefined> {
    const c = await this.fixes.getCursorImage();
    if (c.width === 0 || c.height === 0) return undefined;
    return { serial: c.serial, width: c.width, height: c.height, hotX: c.hotX, hotY: c.hotY, rgba: c.rgba };
  }

  async pointer(): Promise<{ x: number; y: number } | undefined> {
    const p = await queryPointer(this.x, this.x.screen.root);
    return p.sameScreen ? { x: p.x, y: p.y } : undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.x.isOpen) {
        this.damage.destroy(this.damageId);
        this.fixes.destroyRegion(this.region);
      }
      this.grabber.close();
    } finally {
      this.x.close();
    }
  }

  private onEvent(e: Buffer): void {
    if (this.damage.isNotify(e)) {
      if (this.damaged) return;
      this.damaged = true;
      this.emit('damage', undefined);
    } else if (this.fixes.isCursorNotify(e)) {
      this.cursorShape().then(
        (shape) => shape && this.emit('cursor-shape', shape),
        () => undefined,
      );
    } else if (this.randr?.isChange(e)) {
      void this.refreshMonitors();
    }
  }

  private async refreshMonitors(): Promise<void> {
    const list = await readMonitors(this.x, this.randr).catch(() => undefined);
    if (!list || this.closed) return;
    if (JSON.stringify(list) === JSON.stringify(this.monitorList)) return;
    this.monitorList = list;
    const same = list.find((m) => m.id === this.current.id) ?? list.find((m) => m.primary) ?? list[0]!;
    this.select(same.id);
    this.emit('monitors', list);
  }
}

/** RandR monitors, or the whole screen as one when RandR is missing or lists none. */
async function readMonitors(x: XConnection, randr: XRandr | undefined): Promise<Monitor[]> {
  const { width, height } = x.screen;
  const list: XMonitor[] = (await randr?.getMonitors(x.screen.root).catch(() => [])) ?? [];
  const onScreen = list.filter((m) => m.width > 1 && m.height > 1 && m.x >= 0 && m.y >= 0 && m.x + m.width <= width && m.y + m.height <= height);
  // a monitor that spans others (the automatic whole-screen one next to user-defined `xrandr --setmonitor` parts) is not one to pick
  const valid = onScreen.filter((m) => !onScreen.some((o) => o !== m && contains(m, o)));
  if (valid.length === 0) return [{ id: 'screen', name: 'Screen', primary: true, x: 0, y: 0, width, height }];
  return valid.map((m, i) => ({ id: `${i}:${m.name || 'monitor'}`, name: m.name || `Monitor ${i + 1}`, primary: m.primary, x: m.x, y: m.y, width: m.width, height: m.height }));
}

const contains = (a: Rect, b: Rect): boolean => a.x <= b.x && a.y <= b.y && a.x + a.width >= b.x + b.width && a.y + a.height >= b.y + b.height && (a.width > b.width || a.height > b.height);

export const openX11Capture = (opts: CaptureOptions): Promise<ScreenCapture> => X11ScreenCapture.open(opts);
