import type { Rect } from '../types.js';
import { CAPTUREBLT, SRCCOPY, bitmapInfo, type GdiApi } from './gdi-api.js';

/**
 * GDI BitBlt of the screen DC (GetDC(NULL): the whole virtual desktop, primary at 0,0) into a
 * 32-bit top-down DIB section of the captured area's size. `grab()` returns a Buffer over the DIB's
 * own memory (no copy): valid until the next grab or a size change. BitBlt runs on koffi's worker
 * thread (`.async`), so the agent's event loop goes on while Windows copies (~26 ms for 1280x720
 * under wine).
 */
export class GdiGrabber {
  private screenDc: unknown;
  private memDc: unknown;
  private bitmap: unknown;
  private old: unknown;
  private pixels: Buffer | undefined;
  private size = { width: 0, height: 0 };

  constructor(private readonly api: GdiApi) {
    this.screenDc = api.GetDC(null);
    this.memDc = api.CreateCompatibleDC(this.screenDc);
  }

  async grab(area: Rect): Promise<Buffer> {
    if (!this.pixels || area.width !== this.size.width || area.height !== this.size.height) this.resize(area.width, area.height);
    // a failed BitBlt (the secure desktop, a locked screen) leaves the last picture: nothing changed
    await new Promise<number>((resolve, reject) =>
      this.api.BitBlt.async(this.memDc, 0, 0, area.width, area.height, this.screenDc, area.x, area.y, SRCCOPY | CAPTUREBLT, (err: unknown, r: number) => (err ? reject(err) : resolve(r))),
    );
    return this.pixels!;
  }

  /** the pixels of the last grab (the caller knows it was of the same area) */
  last(): Buffer {
    return this.pixels!;
  }

  private resize(width: number, height: number): void {
    this.freeBitmap();
    const bits: unknown[] = [null];
    this.bitmap = this.api.CreateDIBSection(this.screenDc, bitmapInfo(width, height), 0, bits, null, 0);
    this.old = this.api.SelectObject(this.memDc, this.bitmap);
    this.pixels = Buffer.from(this.api.koffi.view(bits[0], width * height * 4));
    this.size = { width, height };
  }

  private freeBitmap(): void {
    if (!this.bitmap) return;
    this.api.SelectObject(this.memDc, this.old);
    this.api.DeleteObject(this.bitmap);
    this.bitmap = undefined;
    this.pixels = undefined;
  }

  close(): void {
    this.freeBitmap();
    this.api.DeleteDC(this.memDc);
    this.api.ReleaseDC(null, this.screenDc);
  }
}
