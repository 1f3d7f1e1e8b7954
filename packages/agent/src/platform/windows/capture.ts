import { Emitter } from '@fernhilfe/protocol';
import type { CaptureOptions, CapturedFrame, CursorShape, Monitor, PlatformEnv, Rect, ScreenCapture, ScreenCaptureEvents } from '../types.js';
import { gdiApi, PER_MONITOR_AWARE_V2, type GdiApi } from './gdi-api.js';
import { GdiGrabber } from './gdi-grabber.js';
import { probeDuplication } from './dxgi.js';
import { readMonitors } from './monitors.js';
import { cursorHandle, cursorPos, lastInputTime, readCursorShape } from './pointer.js';
import { diffInto, mergeRects } from './tiles.js';

/** `FERNHILFE_CAPTURE=gdi` (or `core`, as on X11) forces GDI even where Desktop Duplication works. */
export const CAPTURE_METHOD_ENV = 'FERNHILFE_CAPTURE';

/** polls while the screen changes (~30/s) */
const FAST_MS = 33;
/** after this long without a change… */
const QUIET_AFTER_MS = 1000;
/** …polls this often (4/s)… */
const SLOW_MS = 250;
/** …and once this long passed without a change, once a second: a still screen costs one BitBlt and compare a second */
const STILL_AFTER_MS = 5000;
const STILL_MS = 1000;
/** between slow polls, the time of the last input (GetLastInputInfo, local or injected) is read this often: input polls at once */
const INPUT_CHECK_MS = 100;
/** the monitors and the cursor handle are looked at no more often than this */
const LAYOUT_MS = 1000;
/** a poll's picture younger than this is what grab() returns (no second BitBlt for the same change) */
const FRESH_MS = 40;

/**
 * Windows screen capture with GDI: BitBlt of the selected monitor into a DIB section (gdi-grabber.ts),
 * compared tile by tile with the frame handed out last (tiles.ts) for `dirty` and for "nothing
 * changed". GDI has no change events, so a poll timer stands in for X11's DAMAGE: ~30 polls a
 * second while the screen changes, 4 a second after a quiet second, 1 a second after 5 quiet
 * seconds; at once (and fast again) after a full grab or when the keyboard or mouse was used
 * (GetLastInputInfo, read 10 times a second, costs nothing measurable); a poll that sees a change emits `damage` and pauses until the pump grabs. Monitors
 * (EnumDisplayMonitors) and the cursor handle are checked with the polls, once a second at most:
 * a changed layout emits `monitors`, a changed cursor `cursor-shape`. No pointer events (GDI has
 * none): the cursor tracker polls.
 *
 * Desktop Duplication is tried first (dxgi.ts) and its result logged through `method` and
 * `methodReason`; the frames come from GDI until its frame path exists (docs/agent.md).
 */
export class WindowsScreenCapture extends Emitter<ScreenCaptureEvents> implements ScreenCapture {
  readonly pointerEvents = false;
  private monitorList: Monitor[];
  private current: Monitor;
  private area: Rect;
  /** the frame handed out by grab(): what the next change is compared with */
  private frame = Buffer.alloc(0);
  private needFull = true;
  /** a poll saw a change that no grab has taken yet (polls pause meanwhile) */
  private damaged = false;
  /** when the DIB last received a BitBlt that no grab has compared yet */
  private pending: number | undefined;
  private lastChange = 0;
  private lastLayout = 0;
  private cursor = 0n;
  private lastInput = 0;
  private serial = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly api: GdiApi,
    private readonly grabber: GdiGrabber,
    readonly method: 'gdi' | 'dxgi',
    readonly methodReason: string,
  ) {
    super();
    this.monitorList = readMonitors(api);
    this.current = this.monitorList[0]!;
    this.area = evenArea(this.current);
    this.cursor = cursorHandle(api);
    this.lastInput = lastInputTime(api);
    this.lastChange = performance.now();
    this.schedule(0);
  }

  static open(env: PlatformEnv, opts: CaptureOptions = {}): WindowsScreenCapture {
    const api = gdiApi(env);
    // real pixels on scaled monitors (a DPI-unaware process sees a scaled-down desktop)
    api.SetProcessDpiAwarenessContext?.(PER_MONITOR_AWARE_V2);
    const forced = opts.method === 'core' || ['gdi', 'core'].includes(env[CAPTURE_METHOD_ENV] ?? '');
    const reason = forced ? `${CAPTURE_METHOD_ENV}=${env[CAPTURE_METHOD_ENV] ?? 'core'} asks for GDI` : probeDuplication(api.koffi);
    return new WindowsScreenCapture(api, new GdiGrabber(api), 'gdi', reason);
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
    this.checkCursor();
    return Promise.resolve(cursorPos(this.api));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    void this.busy.finally(() => this.grabber.close());
  }

  private async grabNow(full: boolean): Promise<CapturedFrame | undefined> {
    const captureTime = Date.now();
    const area = this.area;
    const fresh = this.pending !== undefined && performance.now() - this.pending < FRESH_MS;
    const pixels = fresh ? this.grabber.last() : await this.grabber.grab(area);
    this.pending = undefined;
    this.damaged = false;
    const bytes = area.width * area.height * 4;
    const sizeChanged = this.frame.length !== bytes;
    if (sizeChanged) this.frame = Buffer.alloc(bytes);
    const dirty = diffInto(this.frame, pixels, area.width, area.height);
    const whole = this.needFull || full || sizeChanged;
    this.needFull = false;
    if (dirty.length > 0) this.lastChange = performance.now();
    if (whole) this.schedule(0); // "at once again": a full grab starts fast polling
    else this.schedule(this.pollDelay());
    if (!whole && dirty.length === 0) return undefined;
    return { width: area.width, height: area.height, data: this.frame, captureTime, dirty: whole ? undefined : mergeRects(dirty) };
  }

  /** The next poll in `ms`; while waiting longer than INPUT_CHECK_MS, input brings it forward. */
  private schedule(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const poll = () => void this.exclusive(() => this.poll());
    if (ms <= INPUT_CHECK_MS) {
      this.timer = setTimeout(poll, ms);
      return;
    }
    const due = performance.now() + ms;
    const tick = () => {
      if (this.closed) return;
      const input = lastInputTime(this.api);
      if (input !== this.lastInput) {
        this.lastInput = input;
        this.lastChange = performance.now(); // fast polling while someone works
        return poll();
      }
      const left = due - performance.now();
      if (left <= 0) poll();
      else this.timer = setTimeout(tick, Math.min(INPUT_CHECK_MS, left));
    };
    this.timer = setTimeout(tick, Math.min(INPUT_CHECK_MS, ms));
  }

  private pollDelay(): number {
    const quiet = performance.now() - this.lastChange;
    return quiet > STILL_AFTER_MS ? STILL_MS : quiet > QUIET_AFTER_MS ? SLOW_MS : FAST_MS;
  }

  /** One look at the screen: a BitBlt compared with the last frame, without touching it (the encoder may be reading it). */
  private async poll(): Promise<void> {
    if (this.closed || this.damaged) return;
    this.checkLayout();
    const area = this.area;
    const pixels = await this.grabber.grab(area);
    if (this.closed) return;
    const changed = pixels.length !== this.frame.length || !pixels.equals(this.frame);
    if (changed) {
      this.pending = performance.now();
      this.lastChange = this.pending;
      this.damaged = true;
      this.emit('damage', undefined);
      return; // the next poll is scheduled by the grab
    }
    this.schedule(this.pollDelay());
  }

  private checkLayout(): void {
    const now = performance.now();
    if (now - this.lastLayout < LAYOUT_MS) return;
    this.lastLayout = now;
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
