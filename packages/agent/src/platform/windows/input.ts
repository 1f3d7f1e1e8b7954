import type { PointerButton } from '@fernhilfe/protocol';
import type { InputInjector, PlatformEnv } from '../types.js';
import { WindowsKeyboard, type KeyAction } from './keyboard.js';
import { foregroundLayout, vkOfScan, windowsLayout } from './layout.js';
import { win32, type InputRecord, type Win32 } from './win32.js';

const KEYEVENTF_EXTENDEDKEY = 0x1;
const KEYEVENTF_KEYUP = 0x2;
const KEYEVENTF_UNICODE = 0x4;
const KEYEVENTF_SCANCODE = 0x8;
const MOUSEEVENTF_MOVE = 0x1;
const MOUSEEVENTF_XDOWN = 0x80;
const MOUSEEVENTF_XUP = 0x100;
const MOUSEEVENTF_WHEEL = 0x800;
const MOUSEEVENTF_HWHEEL = 0x1000;
const MOUSEEVENTF_VIRTUALDESK = 0x4000;
const MOUSEEVENTF_ABSOLUTE = 0x8000;
const WHEEL_DELTA = 120;
const SM_XVIRTUALSCREEN = 76;
const SM_YVIRTUALSCREEN = 77;
const SM_CXVIRTUALSCREEN = 78;
const SM_CYVIRTUALSCREEN = 79;
/** input within this long after one of our injections may be that injection (GetLastInputInfo has ~16 ms ticks) */
const OWN_INPUT_SLACK_MS = 100;

/** browser MouseEvent.button -> [down flags, up flags, mouseData] (3, 4: the X buttons back and forward) */
const BUTTONS: Record<PointerButton, [number, number, number]> = {
  0: [0x2, 0x4, 0],
  1: [0x20, 0x40, 0],
  2: [0x8, 0x10, 0],
  3: [MOUSEEVENTF_XDOWN, MOUSEEVENTF_XUP, 1],
  4: [MOUSEEVENTF_XDOWN, MOUSEEVENTF_XUP, 2],
};

/**
 * Input for Windows through SendInput (docs/agent-input.md, Windows): keys by scan code on the
 * customer's own layout (keyboard.ts, layout.ts), the pointer absolute over the whole virtual desktop,
 * buttons, both wheel axes. Coordinates are the virtual desktop's own, as the capture's monitors
 * have them: (0, 0) is the primary monitor's top-left corner, a monitor left of or above it has
 * negative ones (the desktop spans SM_XVIRTUALSCREEN.. + SM_CXVIRTUALSCREEN). SendInput into a
 * window of an elevated program is dropped silently by Windows (UIPI) unless this program is
 * elevated too (the face offers a restart as administrator); the secure desktop (UAC prompt,
 * Ctrl+Alt+Del) takes none.
 */
export class WindowsInjector implements InputInjector {
  private readonly keyboard: WindowsKeyboard;
  private readonly buttons = new Set<PointerButton>();
  /** where we last put the pointer (absolute), and where it was before (a look may come before Windows moved it) */
  private pointer: { x: number; y: number } | undefined;
  private previous: { x: number; y: number } | undefined;
  /** GetTickCount after our last SendInput, and GetLastInputInfo's time at the last look */
  private injectedAt: number | undefined;
  private lastSeenInput: number | undefined;
  private closed = false;

  constructor(private readonly w: Win32) {
    this.keyboard = new WindowsKeyboard(
      () => windowsLayout(w, foregroundLayout(w)),
      (actions) => {
        const hkl = foregroundLayout(w);
        this.send(actions.map((a) => this.keyRecord(a, hkl)));
      },
    );
  }

  /** the virtual desktop's size, read each time (a monitor may come or go while the session runs) */
  get screen(): { width: number; height: number } {
    return { width: this.w.GetSystemMetrics(SM_CXVIRTUALSCREEN), height: this.w.GetSystemMetrics(SM_CYVIRTUALSCREEN) };
  }

  move(px: number, py: number): Promise<void> {
    // from the virtual desktop's coordinates (the capture's monitors) to 0-based within it
    const origin = { x: this.w.GetSystemMetrics(SM_XVIRTUALSCREEN), y: this.w.GetSystemMetrics(SM_YVIRTUALSCREEN) };
    const { width, height } = this.screen;
    const x = clamp(Math.round(px) - origin.x, width);
    const y = clamp(Math.round(py) - origin.y, height);
    // 0..65535 spans the virtual desktop: pixel x is at x * 65536 / width, rounded up
    const dx = Math.ceil((x * 65536) / width);
    const dy = Math.ceil((y * 65536) / height);
    this.send([{ type: 0, u: { mi: { dx, dy, mouseData: 0, dwFlags: MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK, time: 0, dwExtraInfo: 0 } } }]);
    const next = { x: origin.x + x, y: origin.y + y };
    if (!same(next, this.pointer)) this.previous = this.pointer;
    this.pointer = next;
    return Promise.resolve();
  }

  button(button: PointerButton, down: boolean): Promise<void> {
    if (down === this.buttons.has(button)) return Promise.resolve(); // already so: never a second press or a stray release
    if (down) this.buttons.add(button);
    else this.buttons.delete(button);
    const [downFlag, upFlag, data] = BUTTONS[button];
    this.send([this.mouse(down ? downFlag : upFlag, data)]);
    return Promise.resolve();
  }

  wheel(dx: number, dy: number): Promise<void> {
    const records: InputRecord[] = [];
    // + is down / right here; Windows' vertical wheel counts away from the user (up) as +
    if (dy) records.push(this.mouse(MOUSEEVENTF_WHEEL, -dy * WHEEL_DELTA));
    if (dx) records.push(this.mouse(MOUSEEVENTF_HWHEEL, dx * WHEEL_DELTA));
    this.send(records);
    return Promise.resolve();
  }

  async key(code: string, key: string, down: boolean, signal?: AbortSignal): Promise<void> {
    // SendInput does not wait: without this turn of the event loop a burst of queued keys would be
    // typed before a revoke that arrived meanwhile is even read
    if (down) await new Promise((resolve) => setImmediate(resolve));
    this.keyboard.key(code, key, down, signal);
  }

  releaseAll(): Promise<void> {
    this.keyboard.releaseAll();
    for (const b of [...this.buttons].reverse()) this.send([this.mouse(BUTTONS[b][1], BUTTONS[b][2])]);
    this.buttons.clear();
    return Promise.resolve();
  }

  /**
   * The customer's own mouse or keyboard since the last look: the pointer is not where we put it
   * (nor where it was before our last move, which Windows may not have carried out yet), or
   * Windows saw input (GetLastInputInfo) later than our last injection plus a short slack.
   */
  localInputSince(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const p = { x: 0, y: 0 };
    this.w.GetCursorPos(p);
    const moved = this.pointer !== undefined && !near(p, this.pointer) && !near(p, this.previous);
    if (moved) {
      this.pointer = { x: p.x, y: p.y };
      this.previous = undefined;
    }
    const info = { cbSize: 8, dwTime: 0 };
    this.w.GetLastInputInfo(info);
    const fresh = this.lastSeenInput !== undefined && info.dwTime !== this.lastSeenInput;
    this.lastSeenInput = info.dwTime;
    const afterOurs = this.injectedAt === undefined || ((info.dwTime - this.injectedAt) | 0) > OWN_INPUT_SLACK_MS;
    return Promise.resolve(moved || (fresh && afterOurs));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.releaseAll();
    this.closed = true;
  }

  private send(records: InputRecord[]): void {
    if (this.closed || records.length === 0) return;
    this.w.SendInput(records);
    this.injectedAt = this.w.GetTickCount();
  }

  /** a button or wheel record (no MOUSEEVENTF_MOVE: where the pointer is) */
  private mouse(flags: number, mouseData: number): InputRecord {
    return { type: 0, u: { mi: { dx: 0, dy: 0, mouseData, dwFlags: flags, time: 0, dwExtraInfo: 0 } } };
  }

  private keyRecord(a: KeyAction, hkl: unknown): InputRecord {
    const up = a.up ? KEYEVENTF_KEYUP : 0;
    const ki = (wVk: number, wScan: number, dwFlags: number) => ({ type: 1 as const, u: { ki: { wVk, wScan, dwFlags, time: 0, dwExtraInfo: 0 } } });
    if (a.kind === 'unicode') return ki(0, a.unit, KEYEVENTF_UNICODE | up);
    if (a.kind === 'vk') return ki(a.vk, 0, up);
    const ext = a.key.extended ? KEYEVENTF_EXTENDEDKEY : 0;
    return ki(vkOfScan(this.w, hkl, a.key.scan, a.key.extended), a.key.scan, KEYEVENTF_SCANCODE | ext | up);
  }
}

/** The SendInput injector for `env` (koffi from FERNHILFE_KOFFI_NATIVE). */
export function openWindowsInjector(env: PlatformEnv): Promise<InputInjector> {
  return Promise.resolve().then(() => new WindowsInjector(win32(env)));
}

function clamp(v: number, size: number): number {
  return Math.max(0, Math.min(size - 1, v));
}

function same(a: { x: number; y: number }, b: { x: number; y: number } | undefined): boolean {
  return b !== undefined && a.x === b.x && a.y === b.y;
}

/** within a pixel: absolute coordinates 0..65535 are rounded on the way to pixels */
function near(a: { x: number; y: number }, b: { x: number; y: number } | undefined): boolean {
  return b !== undefined && Math.abs(a.x - b.x) <= 1 && Math.abs(a.y - b.y) <= 1;
}
