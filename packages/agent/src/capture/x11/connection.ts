import { Emitter } from '@fernhilfe/client';
import { ByteQueue, pad4, request } from './bytes.js';
import { findXAuth, openDisplaySocket, parseDisplay } from './display.js';
import type { XSocket } from './socket.js';

/** An X protocol error reply: which request failed and why (X11 error codes, e.g. 8 = BadMatch). */
export class XError extends Error {
  constructor(
    readonly code: number,
    readonly majorOpcode: number,
    readonly minorOpcode: number,
  ) {
    super(`X error ${code} (request ${majorOpcode}.${minorOpcode})`);
  }
}

export interface XScreenInfo {
  root: number;
  width: number;
  height: number;
  rootDepth: number;
}

export interface XExtension {
  majorOpcode: number;
  firstEvent: number;
  firstError: number;
}

export interface XConnectionEvents extends Record<string, unknown> {
  /** a 32-byte event (longer for GenericEvent), as the server sent it */
  event: Buffer;
  /** an error for a request sent without waiting for its outcome */
  error: XError;
  closed: Error | undefined;
}

interface Pending {
  seq: number;
  /** void requests sent with `check()` resolve once a later reply shows they passed */
  expectsReply: boolean;
  resolve(reply: Buffer): void;
  reject(err: Error): void;
}

const OP_QUERY_EXTENSION = 98;
const OP_GET_INPUT_FOCUS = 43;

/**
 * A minimal X11 client connection (core protocol §8 "Connection Setup" and the request/reply/event
 * stream). Requests are numbered by the server 1, 2, 3…; replies and errors carry the low 16 bits
 * of that number, and arrive in request order, which is how they are matched to callers here.
 */
export class XConnection extends Emitter<XConnectionEvents> {
  private readonly input = new ByteQueue();
  private readonly pending: Pending[] = [];
  private seq = 0;
  private idLast = 0;
  private closedWith: Error | undefined | null = null;
  private readonly extensions = new Map<string, Promise<XExtension | undefined>>();

  private constructor(
    private readonly socket: XSocket,
    readonly screen: XScreenInfo,
    private readonly idBase: number,
    private readonly idMask: number,
  ) {
    super();
    socket.stream.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.stream.on('error', (err) => this.shutdown(err));
    socket.stream.on('close', () => this.shutdown(new Error('the X server closed the connection')));
  }

  /** true when the server is on this machine via a Unix socket that can carry file descriptors */
  get canPassFds(): boolean {
    return this.socket.local && this.socket.sendWithFd !== undefined;
  }

  get isOpen(): boolean {
    return this.closedWith === null;
  }

  static async open(display = process.env.DISPLAY ?? ''): Promise<XConnection> {
    if (!display) throw new Error('no X display: DISPLAY is not set');
    const addr = parseDisplay(display);
    const socket = await openDisplaySocket(addr);
    try {
      const auth = findXAuth(addr);
      const name = Buffer.from(auth?.name ?? '', 'latin1');
      const data = auth?.data ?? Buffer.alloc(0);
      // setup request: byte order 'l', protocol 11.0, auth name and data, each padded
      const setup = Buffer.alloc(12 + pad4(name.length) + pad4(data.length));
      setup[0] = 0x6c;
      setup.writeUInt16LE(11, 2);
      setup.writeUInt16LE(name.length, 6);
      setup.writeUInt16LE(data.length, 8);
      name.copy(setup, 12);
      data.copy(setup, 12 + pad4(name.length));
      socket.stream.write(setup);
      const reply = await readSetup(socket);
      if (reply[0] !== 1) throw new Error(`the X server refused the connection: ${reply.subarray(8, 8 + reply[1]!).toString('latin1').trim() || 'authentication required'}`);
      const vendorLength = reply.readUInt16LE(24);
      const formats = reply[29]!;
      const screens = reply[28]!;
      let at = 40 + pad4(vendorLength) + 8 * formats;
      // skip to the screen the DISPLAY names (each SCREEN: 40 bytes + depths)
      for (let s = 0; s < addr.screen && s < screens; s++) {
        const depths = reply[at + 39]!;
        at += 40;
        for (let d = 0; d < depths; d++) at += 8 + 24 * reply.readUInt16LE(at + 2);
      }
      const screen = { root: reply.readUInt32LE(at), width: reply.readUInt16LE(at + 20), height: reply.readUInt16LE(at + 22), rootDepth: reply[at + 38]! };
      return new XConnection(socket, screen, reply.readUInt32LE(12), reply.readUInt32LE(16));
    } catch (err) {
      socket.stream.destroy();
      throw err;
    }
  }

  /** A fresh resource id (window, damage, region, shm segment). */
  newId(): number {
    const step = this.idMask & -this.idMask;
    this.idLast += step;
    if ((this.idLast & ~this.idMask) !== 0) throw new Error('out of X resource ids');
    return (this.idBase | this.idLast) >>> 0;
  }

  /** Sends a request that has no reply; an error, if any, comes as the 'error' event. */
  send(bytes: Buffer): void {
    this.assertOpen();
    this.seq++;
    this.socket.stream.write(bytes);
  }

  /** Sends a request that has a reply and resolves with the whole reply (32 bytes + extra). */
  call(bytes: Buffer): Promise<Buffer> {
    this.assertOpen();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.push({ seq, expectsReply: true, resolve, reject });
      this.socket.stream.write(bytes);
    });
  }

  /** Sends a void request and resolves once the server has carried it out, rejecting with its XError. */
  async check(bytes: Buffer, fd?: number): Promise<void> {
    this.assertOpen();
    const seq = ++this.seq;
    const done = new Promise<void>((resolve, reject) => this.pending.push({ seq, expectsReply: false, resolve: () => resolve(), reject }));
    done.catch(() => undefined); // awaited below; this keeps an early error from counting as unhandled
    if (fd !== undefined) {
      if (!this.socket.sendWithFd) throw new Error('this X connection cannot pass file descriptors');
      await this.socket.sendWithFd(bytes, fd);
    } else this.socket.stream.write(bytes);
    await this.sync();
    return done;
  }

  /** A round trip: everything sent before has been processed. */
  async sync(): Promise<void> {
    await this.call(request(OP_GET_INPUT_FOCUS, 0));
  }

  /** QueryExtension, cached; undefined when the server lacks it. */
  extension(name: string): Promise<XExtension | undefined> {
    let p = this.extensions.get(name);
    if (!p) {
      const n = Buffer.from(name, 'latin1');
      const body = Buffer.alloc(4 + pad4(n.length));
      body.writeUInt16LE(n.length, 0);
      n.copy(body, 4);
      p = this.call(request(OP_QUERY_EXTENSION, 0, body)).then((r) => (r[8] ? { majorOpcode: r[9]!, firstEvent: r[10]!, firstError: r[11]! } : undefined));
      this.extensions.set(name, p);
    }
    return p;
  }

  close(): void {
    this.shutdown(undefined);
  }

  private assertOpen(): void {
    if (this.closedWith !== null) throw this.closedWith ?? new Error('the X connection is closed');
  }

  private onData(chunk: Buffer): void {
    this.input.push(chunk);
    while (this.input.length >= 32) {
      const head = this.input.peek(32);
      const kind = head[0]! & 0x7f;
      // replies (1) and GenericEvents (35) carry extra length in 4-byte units at offset 4
      const size = kind === 1 || kind === 35 ? 32 + 4 * head.readUInt32LE(4) : 32;
      if (this.input.length < size) return;
      const msg = this.input.take(size);
      if (kind === 0) this.onError(msg);
      else if (kind === 1) this.onReply(msg);
      else this.emit('event', msg);
    }
  }

  private onReply(msg: Buffer): void {
    const entry = this.settleUpTo(msg.readUInt16LE(2));
    entry?.resolve(msg);
  }

  private onError(msg: Buffer): void {
    const err = new XError(msg[1]!, msg[10]!, msg.readUInt16LE(8));
    const seq16 = msg.readUInt16LE(2);
    if (!this.pending.some((p) => (p.seq & 0xffff) === seq16)) {
      this.emit('error', err);
      return;
    }
    this.settleUpTo(seq16)?.reject(err);
  }

  /** Pops the entry for `seq16`; void requests before it passed (their outcome would have come first). */
  private settleUpTo(seq16: number): Pending | undefined {
    while (this.pending.length > 0) {
      const head = this.pending.shift()!;
      if ((head.seq & 0xffff) === seq16) return head;
      if (head.expectsReply) head.reject(new Error('the X server skipped a reply'));
      else head.resolve(Buffer.alloc(0));
    }
    return undefined;
  }

  private shutdown(err: Error | undefined): void {
    if (this.closedWith !== null) return;
    this.closedWith = err;
    for (const p of this.pending.splice(0)) p.reject(err ?? new Error('the X connection is closed'));
    this.socket.stream.destroy();
    this.emit('closed', err);
  }
}

function readSetup(socket: XSocket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 8) return;
      const total = 8 + 4 * buf.readUInt16LE(6);
      if (buf.length < total) return;
      cleanup();
      if (buf.length > total) socket.stream.unshift(buf.subarray(total));
      resolve(buf.subarray(0, total));
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('the X server closed the connection during setup'));
    };
    const cleanup = () => {
      socket.stream.off('data', onData);
      socket.stream.off('close', onEnd);
      socket.stream.off('error', onEnd);
    };
    socket.stream.on('data', onData);
    socket.stream.on('close', onEnd);
    socket.stream.on('error', onEnd);
  });
}
