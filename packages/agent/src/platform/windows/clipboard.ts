import { CLIPBOARD_MAX_BYTES } from '@fernhilfe/protocol';
import { ClipboardError } from '../errors.js';
import type { ClipboardBackend, PlatformEnv } from '../types.js';
import { win32, type Handle, type Win32 } from './win32.js';

const CF_UNICODETEXT = 13;
const GMEM_MOVEABLE = 0x2;
/** another program may hold the clipboard open for a moment: try this often, this far apart */
const OPEN_TRIES = 5;
const OPEN_RETRY_MS = 20;
/** how often the clipboard's sequence number is looked at (one cheap call, no reading) */
const POLL_MS = 250;

/**
 * The Windows clipboard as a text clipboard (CF_UNICODETEXT), through user32 and kernel32 with
 * koffi. A copy elsewhere is noticed by polling GetClipboardSequenceNumber (one call every 250 ms,
 * nothing read): the number changes with every change of the clipboard, and the number our own
 * write left is skipped. The text itself is read only when a listener asks (`read`). Writing takes
 * the clipboard with a hidden window of ours that is destroyed right after: the text stays on the
 * clipboard, and no window of ours is left owning it (an owner must answer messages, which Node's
 * thread does not pump).
 */
export class WindowsClipboard implements ClipboardBackend {
  private readonly listeners = new Set<(read: () => Promise<string | undefined>) => void>();
  private seen: number;
  private ours: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading: Promise<unknown> = Promise.resolve();

  constructor(private readonly w: Win32) {
    this.seen = w.GetClipboardSequenceNumber();
  }

  onCopy(listener: (read: () => Promise<string | undefined>) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.seen = this.w.GetClipboardSequenceNumber(); // what was copied before anyone listened stays private
      this.timer = setInterval(() => this.poll(), POLL_MS);
      this.timer.unref?.();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  async write(text: string): Promise<void> {
    const units = Buffer.from(`${text}\0`, 'utf16le');
    const window = this.w.CreateWindowExW(0, 'STATIC', 'Fernhilfe clipboard', 0, 0, 0, 0, 0, null, null, null, null);
    if (!window) throw new ClipboardError('not-owner', 'could not make a window to own the clipboard');
    try {
      await this.open(window);
      try {
        this.w.EmptyClipboard();
        const mem = this.w.GlobalAlloc(GMEM_MOVEABLE, units.length);
        if (!mem) throw new ClipboardError('not-owner', 'no memory for the clipboard text');
        const p = this.w.GlobalLock(mem);
        new Uint8Array(this.w.koffi.view(p, units.length)).set(units);
        this.w.GlobalUnlock(mem);
        if (!this.w.SetClipboardData(CF_UNICODETEXT, mem)) {
          this.w.GlobalFree(mem); // still ours when the clipboard did not take it
          throw new ClipboardError('not-owner', 'the clipboard did not take the text');
        }
      } finally {
        this.w.CloseClipboard();
      }
      this.ours = this.seen = this.w.GetClipboardSequenceNumber();
    } finally {
      this.w.DestroyWindow(window);
    }
  }

  async read(): Promise<string | undefined> {
    if (!this.w.IsClipboardFormatAvailable(CF_UNICODETEXT)) return undefined;
    await this.open(null);
    try {
      const mem = this.w.GetClipboardData(CF_UNICODETEXT);
      if (!mem) return undefined;
      const p = this.w.GlobalLock(mem);
      if (!p) return undefined;
      try {
        // one unit more than the limit allows: longer text is then refused as too long by the clipboard feature
        const units = Math.min(Math.floor(this.w.GlobalSize(mem) / 2), CLIPBOARD_MAX_BYTES + 1);
        const all = new Uint16Array(this.w.koffi.view(p, units * 2).slice(0));
        const end = all.indexOf(0);
        return Buffer.from(all.buffer, 0, (end < 0 ? units : end) * 2).toString('utf16le');
      } finally {
        this.w.GlobalUnlock(mem);
      }
    } finally {
      this.w.CloseClipboard();
    }
  }

  close(): Promise<void> {
    this.listeners.clear();
    this.stopPolling();
    return Promise.resolve();
  }

  private poll(): void {
    const n = this.w.GetClipboardSequenceNumber();
    if (n === this.seen) return;
    this.seen = n;
    if (n === this.ours) return;
    for (const l of [...this.listeners]) l(() => this.readInTurn());
  }

  private readInTurn(): Promise<string | undefined> {
    const text = this.reading.then(() => this.read().catch(() => undefined));
    this.reading = text;
    return text;
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** OpenClipboard, tried a few times: another program may have it open for a moment. */
  private async open(window: Handle): Promise<void> {
    for (let i = 0; i < OPEN_TRIES; i++) {
      if (this.w.OpenClipboard(window)) return;
      await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS));
    }
    throw new ClipboardError('busy', 'another program keeps the clipboard open');
  }
}

/** The clipboard backend for `env` (koffi from FERNHILFE_KOFFI_NATIVE). */
export function openWindowsClipboard(env: PlatformEnv): Promise<ClipboardBackend> {
  return Promise.resolve().then(() => new WindowsClipboard(win32(env)));
}
