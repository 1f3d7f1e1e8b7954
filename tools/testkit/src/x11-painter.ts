import { connect, type Socket } from 'node:net';
import { TestkitError } from './errors.js';

/**
 * Just enough of the X11 core protocol to paint solid rectangles on the root window of a local X
 * server (Xvfb): connection setup, CreateGC, ChangeGC (foreground), PolyFillRectangle, and
 * GetInputFocus as a round trip. A round trip after drawing means the server has drawn, so a test
 * knows the moment the screen changed to within a fraction of a millisecond, unlike spawning
 * `xsetroot` or ImageMagick's `display` (tens of milliseconds, and only an upper bound).
 * Assumes a TrueColor 24-bit visual (Xvfb's `-screen 0 WxHx24`), where a pixel is 0xRRGGBB.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** #rrggbb -> [r, g, b] */
export type Rgb = readonly [number, number, number];

const OP = { configureWindow: 12, createGC: 55, changeGC: 56, polyFillRectangle: 70, getInputFocus: 43, freeGC: 60 } as const;
const GC_FOREGROUND = 0x4;
/** PolyFillRectangle takes at most this many rectangles per request here (keeps requests small) */
const RECTS_PER_REQUEST = 1000;

export class XPainter {
  private buffered = Buffer.alloc(0);
  private readonly replies: Array<() => void> = [];
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly root: number,
    readonly width: number,
    readonly height: number,
    private readonly gc: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new TestkitError('x11', 'the X server closed the connection')));
  }

  /** Connects to display `:N` over its Unix socket (no auth: Xvfb started without -auth). */
  static async open(display: number): Promise<XPainter> {
    const socket = connect(`/tmp/.X11-unix/X${display}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    // setup request: 'l' (little endian), protocol 11.0, no authorization
    const setup = Buffer.alloc(12);
    setup[0] = 0x6c;
    setup.writeUInt16LE(11, 2);
    setup.writeUInt16LE(0, 4);
    socket.write(setup);
    const reply = await readSetupReply(socket);
    if (reply[0] !== 1) throw new TestkitError('x11', `X server refused the connection: ${reply.subarray(8, 8 + reply[1]!).toString('latin1')}`);
    const idBase = reply.readUInt32LE(12);
    const vendorLength = reply.readUInt16LE(24);
    const formats = reply[29]!;
    const screenAt = 40 + pad4(vendorLength) + 8 * formats;
    const root = reply.readUInt32LE(screenAt);
    const width = reply.readUInt16LE(screenAt + 20);
    const height = reply.readUInt16LE(screenAt + 22);
    const gc = idBase | 1;
    const painter = new XPainter(socket, root, width, height, gc);
    painter.request(OP.createGC, 0, [gc, root, GC_FOREGROUND, 0]);
    await painter.sync();
    return painter;
  }

  /** Fills `rects` (default: the whole screen) with `color`; resolves once the server has drawn them. */
  async fill(color: Rgb, rects: Rect[] = [{ x: 0, y: 0, width: this.width, height: this.height }]): Promise<void> {
    this.queueFill(color, rects);
    await this.sync();
  }

  /** Paints several coloured areas in one go; resolves once all are drawn. */
  async paint(areas: Array<{ color: Rgb; rects: Rect[] }>): Promise<void> {
    for (const a of areas) this.queueFill(a.color, a.rects);
    await this.sync();
  }

  /** Moves a top-level window (no window manager on Xvfb: ConfigureWindow acts at once). */
  moveWindow(window: number, x: number, y: number): void {
    const CW_X = 0x1;
    const CW_Y = 0x2;
    const body = Buffer.alloc(16);
    body.writeUInt32LE(window, 0);
    body.writeUInt16LE(CW_X | CW_Y, 4);
    body.writeInt32LE(clamp16(x), 8);
    body.writeInt32LE(clamp16(y), 12);
    this.requestRaw(OP.configureWindow, 0, body);
  }

  /** A round trip: every request sent before has been carried out when this resolves. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.request(OP.getInputFocus, 0, []);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private queueFill(color: Rgb, rects: Rect[]): void {
    const pixel = ((color[0] & 0xff) << 16) | ((color[1] & 0xff) << 8) | (color[2] & 0xff);
    this.request(OP.changeGC, 0, [this.gc, GC_FOREGROUND, pixel >>> 0]);
    for (let i = 0; i < rects.length; i += RECTS_PER_REQUEST) {
      const batch = rects.slice(i, i + RECTS_PER_REQUEST);
      const body = Buffer.alloc(8 + 8 * batch.length);
      body.writeUInt32LE(this.root, 0);
      body.writeUInt32LE(this.gc, 4);
      batch.forEach((r, j) => {
        body.writeInt16LE(clamp16(r.x), 8 + 8 * j);
        body.writeInt16LE(clamp16(r.y), 10 + 8 * j);
        body.writeUInt16LE(Math.max(0, Math.min(0xffff, r.width)), 12 + 8 * j);
        body.writeUInt16LE(Math.max(0, Math.min(0xffff, r.height)), 14 + 8 * j);
      });
      this.requestRaw(OP.polyFillRectangle, 0, body);
    }
  }

  private request(opcode: number, data: number, words: number[]): void {
    const body = Buffer.alloc(4 * words.length);
    words.forEach((w, i) => body.writeUInt32LE(w >>> 0, 4 * i));
    this.requestRaw(opcode, data, body);
  }

  private requestRaw(opcode: number, data: number, body: Buffer): void {
    const head = Buffer.alloc(4);
    head[0] = opcode;
    head[1] = data;
    head.writeUInt16LE(1 + body.length / 4, 2);
    this.socket.write(Buffer.concat([head, body]));
  }

  /** Replies, errors and events: 32 bytes each, a reply followed by 4 × its length field more. */
  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      if (this.buffered.length < 32) return;
      const kind = this.buffered[0]!;
      const size = kind === 1 ? 32 + 4 * this.buffered.readUInt32LE(4) : 32;
      if (this.buffered.length < size) return;
      const packet = this.buffered.subarray(0, size);
      this.buffered = this.buffered.subarray(size);
      if (kind === 0) this.fail(new TestkitError('x11', `X error ${packet[1]} for request opcode ${packet[10]}`));
      else if (kind === 1) this.replies.shift()?.();
      // events (kind >= 2) are not asked for and ignored
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function clamp16(v: number): number {
  return Math.max(-0x8000, Math.min(0x7fff, Math.round(v)));
}

function readSetupReply(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 8) return;
      const total = 8 + 4 * got.readUInt16LE(6);
      if (got.length < total) return;
      socket.off('data', onData);
      resolve(got.subarray(0, total));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** "#ff8000" -> [255, 128, 0] */
export function rgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new TestkitError('x11', `not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
