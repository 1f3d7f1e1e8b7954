import { request, words } from './bytes.js';
import type { XConnection, XExtension } from './connection.js';
import type { Area } from './core.js';

/**
 * XFIXES (version 5 spoken, 4 needed). Minor opcodes:
 *   0 QueryVersion: u32 client-major | u32 client-minor -> reply u32 major @8 | u32 minor @12
 *   3 SelectCursorInput: u32 window | u32 event-mask (1 = DisplayCursorNotify)
 *   4 GetCursorImage -> reply i16 x @8 | i16 y @10 | u16 w @12 | u16 h @14 | u16 xhot @16 | u16 yhot @18
 *                      | u32 serial @20 | 8 unused | w*h u32 ARGB (premultiplied alpha) from @32
 *   5 CreateRegion: u32 region | rectangles (i16 x, i16 y, u16 w, u16 h each)
 *  10 DestroyRegion: u32 region
 *  19 FetchRegion: u32 region -> reply extents @8 | 16 unused | rectangles from @32
 * Events: first-event + 1 = CursorNotify (u8 subtype @1 | u32 window @4 | u32 serial @8 | u32 time @12 | u32 name @16).
 */
const MINOR = { queryVersion: 0, selectCursorInput: 3, getCursorImage: 4, createRegion: 5, destroyRegion: 10, fetchRegion: 19 } as const;
export const CURSOR_NOTIFY_OFFSET = 1;
const DISPLAY_CURSOR_NOTIFY_MASK = 1;

export interface CursorImage {
  /** pointer position in root coordinates */
  x: number;
  y: number;
  width: number;
  height: number;
  hotX: number;
  hotY: number;
  serial: number;
  /** width*height RGBA, straight (not premultiplied) alpha */
  rgba: Buffer;
}

export class XFixes {
  private constructor(
    private readonly x: XConnection,
    readonly ext: XExtension,
  ) {}

  static async open(x: XConnection): Promise<XFixes | undefined> {
    const ext = await x.extension('XFIXES');
    if (!ext) return undefined;
    const v = await x.call(request(ext.majorOpcode, MINOR.queryVersion, words(5, 0)));
    if (v.readUInt32LE(8) < 4) return undefined;
    return new XFixes(x, ext);
  }

  selectCursorInput(window: number): void {
    this.x.send(request(this.ext.majorOpcode, MINOR.selectCursorInput, words(window, DISPLAY_CURSOR_NOTIFY_MASK)));
  }

  isCursorNotify(event: Buffer): boolean {
    return (event[0]! & 0x7f) === this.ext.firstEvent + CURSOR_NOTIFY_OFFSET;
  }

  async getCursorImage(): Promise<CursorImage> {
    const r = await this.x.call(request(this.ext.majorOpcode, MINOR.getCursorImage));
    const width = r.readUInt16LE(12);
    const height = r.readUInt16LE(14);
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const argb = r.readUInt32LE(32 + 4 * i);
      const a = argb >>> 24;
      const un = (c: number) => (a === 0 ? 0 : Math.min(255, Math.round((c * 255) / a)));
      rgba[4 * i] = un((argb >>> 16) & 0xff);
      rgba[4 * i + 1] = un((argb >>> 8) & 0xff);
      rgba[4 * i + 2] = un(argb & 0xff);
      rgba[4 * i + 3] = a;
    }
    return { x: r.readInt16LE(8), y: r.readInt16LE(10), width, height, hotX: r.readUInt16LE(16), hotY: r.readUInt16LE(18), serial: r.readUInt32LE(20), rgba };
  }

  createRegion(): number {
    const id = this.x.newId();
    this.x.send(request(this.ext.majorOpcode, MINOR.createRegion, words(id)));
    return id;
  }

  destroyRegion(region: number): void {
    if (this.x.isOpen) this.x.send(request(this.ext.majorOpcode, MINOR.destroyRegion, words(region)));
  }

  async fetchRegion(region: number): Promise<Area[]> {
    const r = await this.x.call(request(this.ext.majorOpcode, MINOR.fetchRegion, words(region)));
    const out: Area[] = [];
    for (let at = 32; at + 8 <= r.length; at += 8) out.push({ x: r.readInt16LE(at), y: r.readInt16LE(at + 2), width: r.readUInt16LE(at + 4), height: r.readUInt16LE(at + 6) });
    return out;
  }
}
