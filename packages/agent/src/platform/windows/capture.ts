import { Emitter } from '@fernhilfe/protocol';
import type { CaptureOptions, CapturedFrame, CursorShape, Monitor, PlatformEnv, Rect, ScreenCapture, ScreenCaptureEvents } from '../types.js';
import { DxgiSource } from './dxgi.js';
import { gdiApi, PER_MONITOR_AWARE_V2, type GdiApi } from './gdi-api.js';
import { GdiGrabber } from './gdi-grabber.js';
import { readMonitors } from './monitors.js';
import { cursorHandle, cursorPos, readCursorShape } from './pointer.js';
import { PollTimer } from './poller.js';
import { diffInto, mergeRects } from './tiles.js';

/** `FERNHILFE_CAPTURE=gdi` (or `core`, as on X11) forces GDI even where Desktop Duplication works. */
export const CAPTURE_METHOD_ENV = 'FERNHILFE_CAPTURE';

/** the monitors and the cursor handle are looked at no more often than this */
const LAYOUT_MS = 1000;
/** how long GDI serves after Desktop Duplication was lost before duplication is tried again */
const RETRY_DXGI_MS = 5000;
/** a poll's picture younger than this is what grab() returns (no second BitBlt for the same change) */
const FRESH_MS = 40;

/**
 * Windows screen capture, chosen at open and named in `method` with the reason in `methodReason`:
 * - 'dxgi': Desktop Duplication of the selected monitor (dxgi.ts): AcquireNextFrame wakes it only
 *   when the desktop changed, and the pointer's updates come as 'pointer-moved' events;
 * - 'gdi': BitBlt of the selected monitor into a DIB section (gdi-grabber.ts) where duplication
 *   fails (under wine: "DuplicateOutput failed: E_NOTIMPL"; some remote sessions), when it fails
 *   later, or when FERNHILFE_CAPTURE=gdi asks. GDI has no change events: polls (poller.ts) stand in
 *   for X11's DAMAGE, fast while the screen changes and slow while it is still.
 * Either way grab() compares the picture with the frame handed out last in tiles (tiles.ts) for
 * `dirty` and for "nothing changed" (undefined). A change emits `damage` once, until the next grab.
 * Monitors (EnumDisplayMonitors) and the cursor handle are checked once a second at most: a new
 * layout emits `monitors`, a new cursor `cursor-shape` (GetCursorInfo + GetIconInfo, pointer.ts).
 */
export class WindowsScreenCapture extends Emitter<ScreenCaptureEvents> implements ScreenCapture {
  private monitorList: Monitor[];
  private current: Monitor;
  private area: Rect;
  /** the frame handed out by grab(): what the next change is compared with */
  private frame = Buffer.alloc(0);
  private needFull = true;
  /** a change was seen that no grab has taken yet (GDI polls pause meanwhile) */
  private damaged = false;
  /** when the source last took a picture that no grab has compared yet */
  private pending: number | undefined;
  private lastLayout = 0;
  private cursor = 0n;
  private serial = 0;
  private moveReported = false;
  private dxgi: DxgiSource | undefined;
  /** after a lost duplication (UAC's secure desktop, a mode change), GDI serves and duplication is tried again then */
  private retryDxgiAt: number | undefined;
  private reason: string;
  private readonly polls: PollTimer;
  private readonly layoutTimer: ReturnType<typeof setInterval>;
  private busy: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly api: GdiApi,
    private readonly grabber: GdiGrabber,
    forced: string | undefined,
  ) {
    super();
    this.monitorList = readMonitors(api);
    this.current = this.monitorList[0]!;
    this.area = evenArea(this.current);
    this.cursor = cursorHandle(api);
    this.polls = new PollTimer(api, () => void this.exclusive(() => this.poll()));
    // with Desktop Duplication nothing polls: the layout and cursor are looked at on their own
    this.layoutTimer = setInterval(() => this.dxgi && this.checkLayout(), LAYOUT_MS);
    this.reason = forced ?? this.useDuplication(this.current);
    if (!this.dxgi) this.polls.soon();
  }

  static open(env: PlatformEnv, opts: CaptureOptions = {}): WindowsScreenCapture {
    const api = gdiApi(env);
    // real pixels on scaled monitors (a DPI-unaware process sees a scaled-down desktop)
    api.SetProcessDpiAwarenessContext?.(PER_MONITOR_AWARE_V2);
    const asked = env[CAPTURE_METHOD_ENV];
    const forced = opts.method === 'core' || asked === 'gdi' || asked === 'core' ? `${CAPTURE_METHOD_ENV}=${asked ?? 'core'} asks for GDI` : undefined;
    return new WindowsScreenCapture(api, new GdiGrabber(api), forced);
  }

  get method(): 'dxgi' | 'gdi' {
    return this.dxgi ? 'dxgi' : 'gdi';
  }

  get methodReason(): string {
    return this.reason;
  }

  get pointerEvents(): boolean {
    return this.dxgi !== undefined;
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
    if (this.dxgi && m.id !== this.current.id) {
      this.dxgi.close();
      this.dxgi = undefined;
      this.reason = this.useDuplication(m);
      if (!this.dxgi) this.polls.soon();
    }
    this.current = m;
    this.area = evenArea(m);
    this.needFull = true;
    this.pending = undefined;
    return true;
  }

  grab(opts: { full?: boolean } = {}): Promise<CapturedFrame | undefined> {
    return this.exclusive(() => this.grabNow(opts.full === true));
  }

  cursorShape(): Promise<CursorShape | undefined> {
    return Promise.resolve(readCursorShape(this.api, this.serial));
  }

  pointer(): Promise<{ x: number; y: number } | undefined> {
    this.moveReported = false;
    this.checkCursor();
    return Promise.resolve(cursorPos(this.api));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.polls.stop();
    clearInterval(this.layoutTimer);
    this.dxgi?.close();
    void this.busy.finally(() => this.grabber.close());
  }

  /** Desktop Duplication of `monitor` if it works; the reason for the log either way. */
  private useDuplication(monitor: Monitor): string {
    const source = DxgiSource.open(this.api.koffi, monitor.id);
    if (!(source instanceof DxgiSource)) return source.reason;
    this.dxgi = source;
    source.run(
      () => this.changed(),
      () => this.pointerUpdate(),
      (reason) => this.dropDuplication(source, reason),
    );
    return `Desktop Duplication of ${monitor.id}`;
  }

  /** Duplication failed or was lost: a new one at once (sized anew), else GDI, and another try every RETRY_DXGI_MS. */
  private dropDuplication(source: DxgiSource, reason: string): void {
    if (this.dxgi !== source || this.closed) return;
    source.close();
    this.dxgi = undefined;
    this.needFull = true;
    const again = this.useDuplication(this.current);
    if (this.dxgi) {
      this.reason = again;
      return;
    }
    this.reason = `${reason}; then ${again}`;
    this.retryDxgiAt = performance.now() + RETRY_DXGI_MS;
    this.polls.soon();
  }

  private async grabNow(full: boolean): Promise<CapturedFrame | undefined> {
    const captureTime = Date.now();
    const area = this.area;
    const fresh = this.pending !== undefined && performance.now() - this.pending < FRESH_MS;
    const pixels = this.dxgi ? this.dxgi.grab(area) : fresh ? this.grabber.last() : await this.grabber.grab(area);
    this.pending = undefined;
    this.damaged = false;
    const bytes = area.width * area.height * 4;
    const sizeChanged = this.frame.length !== bytes;
    if (sizeChanged) this.frame = Buffer.alloc(bytes);
    const dirty = diffInto(this.frame, pixels, area.width, area.height);
    const whole = this.needFull || full || sizeChanged;
    this.needFull = false;
    if (dirty.length > 0) this.polls.changed();
    if (!this.dxgi) {
      if (whole) this.polls.soon(); // "at once again": a full grab starts fast polling
      else this.polls.later();
    }
    if (!whole && dirty.length === 0) return undefined;
    return { width: area.width, height: area.height, data: this.frame, captureTime, dirty: whole ? undefined : mergeRects(dirty) };
  }

  /** One GDI look at the screen: a BitBlt compared with the last frame, without touching it (the encoder may be reading it). */
  private async poll(): Promise<void> {
    if (this.closed || this.damaged || this.dxgi) return;
    this.checkLayout();
    const pixels = await this.grabber.grab(this.area);
    if (this.closed) return;
    if (pixels.length !== this.frame.length || !pixels.equals(this.frame)) return this.changed(); // the next poll comes after the grab
    this.polls.later();
  }

  /** A new picture (a poll's or Desktop Duplication's): `damage`, once until the next grab. */
  private changed(): void {
    this.pending = performance.now();
    this.polls.changed();
    if (this.damaged || this.closed) return;
    this.damaged = true;
    this.emit('damage', undefined);
  }

  /** Desktop Duplication saw the pointer move or change shape. */
  private pointerUpdate(): void {
    if (!this.moveReported) {
      this.moveReported = true;
      this.emit('pointer-moved', undefined);
    }
    this.checkCursor();
  }

  private checkLayout(): void {
    const now = performance.now();
    if (now - this.lastLayout < LAYOUT_MS) return;
    this.lastLayout = now;
    if (!this.dxgi && this.retryDxgiAt !== undefined && now > this.retryDxgiAt) {
      const reason = this.useDuplication(this.current);
      if (this.dxgi) {
        this.reason = reason;
        this.retryDxgiAt = undefined;
        this.needFull = true;
      } else this.retryDxgiAt = now + RETRY_DXGI_MS;
    }
    this.checkCursor();
    const list = readMonitors(this.api);
    if (JSON.stringify(list) === JSON.stringify(this.monitorList)) return;
    this.monitorList = list;
    const same = list.find((m) => m.id === this.current.id) ?? list[0]!;
    this.select(same.id);
    this.emit('monitors', list);
  }

  private checkCursor(): void {
    const handle = cursorHandle(this.api);
    if (handle === this.cursor) return;
    this.cursor = handle;
    this.serial++;
    const shape = readCursorShape(this.api, this.serial);
    if (shape) this.emit('cursor-shape', shape);
  }

  /** Polls and grabs one at a time (they share the DIB). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.busy.then(work, work);
    this.busy = run.catch(() => undefined);
    return run;
  }
}

/** The encoder needs even sizes (4:2:0 chroma): drop the last odd row or column. */
export function evenArea(r: Rect): Rect {
  return { x: r.x, y: r.y, width: Math.max(2, r.width & ~1), height: Math.max(2, r.height & ~1) };
}

export function openWindowsCapture(env: PlatformEnv, opts: CaptureOptions = {}): Promise<ScreenCapture> {
  try {
    return Promise.resolve(WindowsScreenCapture.open(env, opts));
  } catch (err) {
    return Promise.reject(err);
  }
}
