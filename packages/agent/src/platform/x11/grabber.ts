import type { Shm, ShmProvider, ShmProviderSegment } from 'x11';
import type { X11Connection } from './client.js';
import { CaptureError } from '../errors.js';
import type { Rect } from '../types.js';

const Z_PIXMAP = 2;
const ALL_PLANES = 0xffffffff;

/** Reads the pixels of `area` (BGRX rows, area.width*area.height*4 bytes). */
export interface PixelGrabber {
  readonly method: 'shm' | 'core';
  /**
   * `dirty`: changed rectangles relative to `area`; undefined = everything. Resolves with the
   * grabber's own frame buffer for `area` (reused by the next grab).
   */
  grab(area: Rect, dirty: readonly Rect[] | undefined): Promise<Buffer>;
  close(): void;
}

/**
 * MIT-SHM through the package: a segment from its built-in provider (a /dev/shm file, unlinked at
 * once, handed to the server with ShmAttachFd) twice the size of the area. The package cannot map
 * the file, it reads it (`sync`, one pread), so what is read is what costs:
 * - full grab: the whole area in one ShmGetImage into the first half, read into the provider's
 *   buffer, whose first half is then the frame (no further copy);
 * - changed rectangles only: each one ShmGetImage'd into the second half one after the other, that
 *   part read, and its rows copied into the frame. A ticking clock reads 100 KB, not 8 MB. Changes
 *   over a third of the area are read whole (the copy would cost more than it saves).
 */
class ShmGrabber implements PixelGrabber {
  readonly method = 'shm';
  private closed = false;
  /** what the first half of the buffer holds (undefined: nothing yet) */
  private frameArea: Rect | undefined;

  private constructor(
    private readonly x: X11Connection,
    private readonly shm: Shm,
    private readonly provider: ShmProvider,
    private segment: ShmProviderSegment,
    private id: number,
  ) {}

  /** Undefined when shared memory cannot be used here (no provider, or the attach fails). */
  static async open(x: X11Connection, shm: Shm, size: number): Promise<ShmGrabber | undefined> {
    const provider = shm.provider;
    if (!provider || provider.flavor !== 'fd') return undefined;
    const attached = await attach(x, shm, provider, 2 * size).catch(() => undefined);
    if (!attached) return undefined;
    const grabber = new ShmGrabber(x, shm, provider, attached.segment, attached.id);
    // a real test grab: some servers accept the attach but cannot map the descriptor
    const ok = await grabber.grab({ x: 0, y: 0, width: 2, height: 2 }, undefined).then(
      () => true,
      () => false,
    );
    if (ok) return grabber;
    grabber.close();
    return undefined;
  }

  async grab(area: Rect, dirty: readonly Rect[] | undefined): Promise<Buffer> {
    const bytes = area.width * area.height * 4;
    if (2 * bytes > this.segment.size) await this.grow(2 * bytes);
    const same = this.frameArea !== undefined && sameRect(this.frameArea, area);
    const rects = dirty && dirty.length > 16 ? [bounds(dirty)] : dirty;
    // reading a part costs its bytes twice (read, then copy into the frame): for large changes one full read is cheaper
    const partBytes = rects?.reduce((n, r) => n + r.width * r.height * 4, 0) ?? bytes;
    if (!same || !rects || 3 * partBytes > bytes) {
      this.frameArea = undefined; // until the read below has filled it
      await this.getImage(area, 0);
      this.provider.sync(this.segment, 0, bytes);
      this.frameArea = { ...area };
      return this.segment.buffer.subarray(0, bytes);
    }
    let end = bytes;
    const placed = rects.map((r) => {
      const at = end;
      end += r.width * r.height * 4;
      return { r, at };
    });
    try {
      await Promise.all(placed.map(({ r, at }) => this.getImage({ x: area.x + r.x, y: area.y + r.y, width: r.width, height: r.height }, at)));
    } catch (err) {
      this.frameArea = undefined; // these changes are lost to the frame: the next grab is a full one
      throw err;
    }
    this.provider.sync(this.segment, bytes, end - bytes);
    const buf = this.segment.buffer;
    for (const { r, at } of placed) {
      const row = r.width * 4;
      for (let y = 0; y < r.height; y++) buf.copy(buf, ((r.y + y) * area.width + r.x) * 4, at + y * row, at + y * row + row);
    }
    return buf.subarray(0, bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  private getImage(r: Rect, offset: number): Promise<unknown> {
    return this.x.reply((cb) => this.shm.GetImage(this.x.root, r.x, r.y, r.width, r.height, ALL_PLANES, Z_PIXMAP, this.id, offset, cb));
  }

  /** The screen grew (RandR): a larger segment replaces the old one. */
  private async grow(size: number): Promise<void> {
    this.release();
    this.frameArea = undefined;
    const next = await attach(this.x, this.shm, this.provider, size);
    if (this.closed) {
      this.shm.Detach(next.id);
      this.provider.destroy(next.segment);
      throw new CaptureError('closed', 'the capture closed');
    }
    this.segment = next.segment;
    this.id = next.id;
  }

  private release(): void {
    try {
      if (this.x.isOpen) this.shm.Detach(this.id);
    } finally {
      // our descriptor now; the server's mapping goes with the Detach or the connection
      this.provider.destroy(this.segment);
    }
  }
}

/** A segment from the provider, attached with ShmAttachFd (the package sends a dup of its descriptor). */
async function attach(x: X11Connection, shm: Shm, provider: ShmProvider, size: number): Promise<{ segment: ShmProviderSegment; id: number }> {
  const segment = provider.create(size);
  const id = x.client.AllocID();
  try {
    await x.reply<void>((cb) => shm.AttachFd(id, segment.fd!, false, cb));
  } catch (err) {
    provider.destroy(segment);
    throw err;
  }
  return { segment, id };
}

/**
 * Core GetImage through the socket: only the changed rectangles are fetched and patched into the
 * frame kept from before, so a typing cursor costs a few KB, not 8 MB.
 */
class CoreGrabber implements PixelGrabber {
  readonly method = 'core';
  private frame = Buffer.alloc(0);
  private frameArea: Rect | undefined;

  constructor(private readonly x: X11Connection) {}

  async grab(area: Rect, dirty: readonly Rect[] | undefined): Promise<Buffer> {
    const same = this.frameArea && sameRect(this.frameArea, area);
    if (!same) {
      this.frame = Buffer.alloc(area.width * area.height * 4);
      this.frameArea = { ...area };
    }
    const parts = same && dirty ? dirty : [{ x: 0, y: 0, width: area.width, height: area.height }];
    // many small rectangles: one bounding box costs fewer round trips
    const rects = parts.length > 16 ? [bounds(parts)] : parts;
    const root = this.x.root;
    const images = await Promise.all(rects.map((r) => this.x.reply<{ data: Buffer }>((cb) => this.x.client.GetImage(Z_PIXMAP, root, area.x + r.x, area.y + r.y, r.width, r.height, ALL_PLANES, cb))));
    const frame = this.frame;
    rects.forEach((r, i) => {
      const data = images[i]!.data;
      const row = r.width * 4;
      if (r.x === 0 && r.width === area.width) data.copy(frame, r.y * row, 0, r.height * row);
      else for (let y = 0; y < r.height; y++) data.copy(frame, ((r.y + y) * area.width + r.x) * 4, y * row, y * row + row);
    });
    return frame;
  }

  close(): void {}
}

const sameRect = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

function bounds(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

/** Shared memory when the package offers it on this connection (local socket, MIT-SHM 1.2, /dev/shm), else core GetImage. */
export async function openGrabber(x: X11Connection, method: 'auto' | 'core'): Promise<PixelGrabber> {
  if (method === 'auto') {
    const shm = await x.extension('shm').catch(() => undefined);
    const { width, height } = x.screen;
    const grabber = shm && (await ShmGrabber.open(x, shm, width * height * 4));
    if (grabber) return grabber;
  }
  return new CoreGrabber(x);
}
