import type { PanelKey, PanelWindow, PlatformEnv, Rect } from '../types.js';
import { bitmapInfo, DIB_RGB_COLORS, PER_MONITOR_AWARE_V2, SRCCOPY } from './gdi-api.js';
import { PANEL_CLASS, panelApi, readRect, WindowsPanelError, type PanelApi } from './panel-api.js';
import { cornerOf, panelKeyOf, pointOf, windowsPanelScale } from './panel-place.js';

const WS_POPUP = 0x80000000;
const WS_EX_TOPMOST = 0x00000008;
const WS_EX_TOOLWINDOW = 0x00000080;
const HWND_TOPMOST = -1;
const SWP_NOSIZE = 0x0001;
const SWP_NOMOVE = 0x0002;
const SWP_NOACTIVATE = 0x0010;
const SWP_SHOWWINDOW = 0x0040;
const WM_PAINT = 0x000f;
const WM_CLOSE = 0x0010;
const WM_ERASEBKGND = 0x0014;
const WM_KEYDOWN = 0x0100;
const WM_MOUSEMOVE = 0x0200;
const WM_LBUTTONDOWN = 0x0201;
const WM_LBUTTONUP = 0x0202;
const WM_CAPTURECHANGED = 0x0215;
const WM_DPICHANGED = 0x02e0;
const VK_SHIFT = 0x10;
const PM_REMOVE = 1;
const SPI_GETWORKAREA = 0x0030;
const SM_LOGPIXELSX = 88;
const IDC_ARROW = 32512;
/** how often queued window messages are handled (the window lives on Node's own thread, as the dialog's) */
const PUMP_MS = 30;
/** how often (in pump rounds, about 1 s) the window asks again to be the topmost one */
const RAISE_EVERY = 33;
/** a press and a release this close together are a click */
const SHAKE = 8;

type Image = { width: number; height: number; data: Buffer };

/**
 * The session panel as a Win32 window: a WS_POPUP with WS_EX_TOPMOST (above every normal window)
 * and WS_EX_TOOLWINDOW (no taskbar button, not in Alt+Tab), in the work area's top-right corner,
 * shown without taking the focus from what the customer works in. The picture (panel/render.ts's
 * BGRX rows) goes to the screen with StretchDIBits on WM_PAINT. The customer drags it by the title
 * strip (our own capture-and-follow, not the system's modal move loop, which would stop Node's
 * thread while the button is held), clicks buttons, or, once it has the focus (a click on it),
 * uses Tab / Shift+Tab / Enter / Space / Escape. Every new picture raises it to the top of the
 * topmost windows again (a question comes to the front). The scale is the window's DPI / 96
 * (the process is per-monitor DPI aware); WM_DPICHANGED (moved to another monitor, scaling changed)
 * redraws at the new scale.
 */
export class WindowsPanelWindow implements PanelWindow {
  private image: Image | undefined;
  private bitmap: Buffer | undefined;
  private dragArea: Rect = { x: 0, y: 0, width: 0, height: 0 };
  private press: { x: number; y: number; drag: boolean } | undefined;
  private readonly clickListeners: Array<(x: number, y: number) => void> = [];
  private readonly keyListeners: Array<(key: PanelKey) => void> = [];
  private readonly rescaleListeners: Array<() => void> = [];
  private placed = false;
  private closed = false;
  private readonly pump: ReturnType<typeof setInterval>;
  private currentScale: number;

  private constructor(
    private readonly w: PanelApi,
    private readonly hwnd: unknown,
    private readonly env: PlatformEnv,
  ) {
    this.currentScale = windowsPanelScale(env.FERNHILFE_PANEL_SCALE, this.dpi());
    w.handler.current = (h, m, wp, lp) => this.onMessage(h, m, wp, lp);
    let round = 0;
    this.pump = setInterval(() => {
      this.drain();
      if (++round % RAISE_EVERY === 0 && this.placed && !this.press) this.raise();
    }, PUMP_MS);
  }

  get scale(): number {
    return this.currentScale;
  }

  static async open(env: PlatformEnv, opts: { title: string }): Promise<WindowsPanelWindow> {
    const w = panelApi(env);
    // real pixels on scaled monitors (the capture and the input set the same; whichever comes first wins)
    try {
      w.SetProcessDpiAwarenessContext?.(PER_MONITOR_AWARE_V2);
    } catch {
      // already set for this process
    }
    const instance = w.GetModuleHandleW(null);
    // a second registration of the class in the same process fails harmlessly (the class exists)
    w.RegisterClassExW({
      cbSize: w.classSize, style: 0, lpfnWndProc: w.proc, cbClsExtra: 0, cbWndExtra: 0, hInstance: instance,
      hIcon: null, hCursor: w.LoadCursorW(null, IDC_ARROW), hbrBackground: null, lpszMenuName: null, lpszClassName: PANEL_CLASS, hIconSm: null,
    });
    const work = workArea(w);
    // hidden, 1x1 in the corner until the first picture: its DPI (the monitor it is on) sets the scale
    const hwnd = w.CreateWindowExW(WS_EX_TOPMOST | WS_EX_TOOLWINDOW, PANEL_CLASS, opts.title, WS_POPUP, work.right - 1, work.top, 1, 1, null, null, instance, null);
    if (!hwnd) throw new WindowsPanelError('create-failed', 'CreateWindowExW gave no window for the session panel');
    return new WindowsPanelWindow(w, hwnd, env);
  }

  show(image: Image, dragArea: Rect): void {
    if (this.closed) return;
    const resized = image.width !== this.image?.width || image.height !== this.image?.height;
    this.image = image;
    this.dragArea = dragArea;
    if (resized || !this.bitmap) this.bitmap = bitmapInfo(image.width, image.height);
    const size = { width: image.width, height: image.height };
    let flags = SWP_NOACTIVATE | SWP_SHOWWINDOW;
    let at = { x: 0, y: 0 };
    if (!this.placed) at = cornerOf(workArea(this.w), size, this.currentScale);
    else if (resized) {
      const r = this.windowRect();
      at = { x: r.left, y: r.top };
    } else flags |= SWP_NOMOVE | SWP_NOSIZE;
    this.placed = true;
    // to the top of the topmost windows, without the focus: a new question comes to the front
    this.w.SetWindowPos(this.hwnd, HWND_TOPMOST, at.x, at.y, size.width, size.height, flags);
    this.w.InvalidateRect(this.hwnd, null, false);
  }

  onClick(listener: (x: number, y: number) => void): void {
    this.clickListeners.push(listener);
  }

  onKey(listener: (key: PanelKey) => void): void {
    this.keyListeners.push(listener);
  }

  onRescale(listener: () => void): void {
    this.rescaleListeners.push(listener);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    clearInterval(this.pump);
    this.w.DestroyWindow(this.hwnd);
    this.drain();
    return Promise.resolve();
  }

  private drain(): void {
    const msg = {};
    while (this.w.PeekMessageW(msg, null, 0, 0, PM_REMOVE)) {
      this.w.TranslateMessage(msg);
      this.w.DispatchMessageW(msg);
    }
  }

  /**
   * back to the top of the topmost windows, without the focus, about once a second: another
   * program's topmost window (a video call's, a screen reader's) would otherwise cover the panel
   */
  private raise(): void {
    this.w.SetWindowPos(this.hwnd, HWND_TOPMOST, 0, 0, 0, 0, SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE);
  }

  private dpi(): number | undefined {
    const fromWindow = this.w.GetDpiForWindow ? Number(this.w.GetDpiForWindow(this.hwnd)) : 0;
    if (fromWindow > 0) return fromWindow;
    const dc = this.w.GetDC(null);
    const dpi = Number(this.w.GetDeviceCaps(dc, SM_LOGPIXELSX));
    this.w.ReleaseDC(null, dc);
    return dpi > 0 ? dpi : undefined;
  }

  private windowRect(): { left: number; top: number; right: number; bottom: number } {
    const b = Buffer.alloc(16);
    this.w.GetWindowRect(this.hwnd, b);
    return readRect(b);
  }

  private onMessage(h: unknown, message: number, wParam: number | bigint, lParam: number | bigint): unknown {
    try {
      switch (message) {
        case WM_PAINT:
          return this.paint(h);
        case WM_ERASEBKGND:
          return 1; // the picture covers every pixel
        case WM_CLOSE:
          return 0; // Alt+F4 and the like: End session ends, not the window's close
        case WM_LBUTTONDOWN:
          return this.onPress(pointOf(lParam));
        case WM_MOUSEMOVE:
          return this.onMove();
        case WM_LBUTTONUP:
          return this.onRelease(pointOf(lParam));
        case WM_CAPTURECHANGED:
          if (this.press?.drag) this.press = undefined;
          return 0;
        case WM_KEYDOWN: {
          const key = panelKeyOf(Number(wParam), Number(this.w.GetKeyState(VK_SHIFT)) < 0);
          if (key) setImmediate(() => this.keyListeners.forEach((l) => l(key)));
          return 0;
        }
        case WM_DPICHANGED:
          return this.onDpiChanged(Number(wParam) & 0xffff);
      }
    } catch {
      // an exception must not cross the window procedure back into user32
    }
    return this.w.DefWindowProcW(h, message, wParam, lParam);
  }

  private paint(h: unknown): number {
    const ps = Buffer.alloc(72);
    const dc = this.w.BeginPaint(h, ps);
    const img = this.image;
    if (dc && img && this.bitmap) this.w.StretchDIBits(dc, 0, 0, img.width, img.height, 0, 0, img.width, img.height, img.data, this.bitmap, DIB_RGB_COLORS, SRCCOPY);
    this.w.EndPaint(h, ps);
    return 0;
  }

  private onPress(at: { x: number; y: number }): number {
    const d = this.dragArea;
    const drag = at.x >= d.x && at.y >= d.y && at.x < d.x + d.width && at.y < d.y + d.height;
    this.press = { ...at, drag };
    this.w.SetCapture(this.hwnd);
    return 0;
  }

  /** while the title strip is held the window follows the pointer: its origin is the pointer less where it was grabbed */
  private onMove(): number {
    if (!this.press?.drag) return 0;
    const p = Buffer.alloc(8);
    this.w.GetCursorPos(p);
    this.w.SetWindowPos(this.hwnd, HWND_TOPMOST, p.readInt32LE(0) - this.press.x, p.readInt32LE(4) - this.press.y, 0, 0, SWP_NOSIZE | SWP_NOACTIVATE);
    return 0;
  }

  private onRelease(at: { x: number; y: number }): number {
    const press = this.press;
    this.press = undefined;
    this.w.ReleaseCapture();
    if (!press || press.drag || Math.abs(at.x - press.x) > SHAKE || Math.abs(at.y - press.y) > SHAKE) return 0;
    setImmediate(() => this.clickListeners.forEach((l) => l(press.x, press.y)));
    return 0;
  }

  private onDpiChanged(dpi: number): number {
    const scale = windowsPanelScale(this.env.FERNHILFE_PANEL_SCALE, dpi);
    if (scale === this.currentScale) return 0;
    this.currentScale = scale;
    setImmediate(() => this.rescaleListeners.forEach((l) => l()));
    return 0;
  }
}

/** the primary monitor's work area (the screen less the taskbar), in real pixels */
function workArea(w: PanelApi): { left: number; top: number; right: number; bottom: number } {
  const b = Buffer.alloc(16);
  w.SystemParametersInfoW(SPI_GETWORKAREA, 0, b, 0);
  return readRect(b);
}

