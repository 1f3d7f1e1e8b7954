import { ProtocolError, type ChannelSealer } from '@fernhilfe/protocol';
import { SessionEndedError } from '../errors.js';

/** How many bytes of sealed frames a session keeps for the peer before sendData() waits. */
export const RETRANSMIT_LIMIT = 16 * 1024 * 1024;

/**
 * The sealed frames an endpoint sent that its peer has not acknowledged yet, in sequence order.
 * After a resume they go out again, the same bytes, from exactly the sequence number the peer names,
 * so the peer's strict rule (next = previous + 1) holds across the drop. When the buffer holds more
 * than `limit` bytes, senders wait for room (backpressure up to the application).
 */
export class RetransmitBuffer {
  private frames: Uint8Array[] = [];
  private head = 0;
  private held = 0;
  /** sequence number of the first frame held: everything below it was acknowledged */
  private first = 0n;
  private waiters: (() => void)[] = [];

  constructor(readonly limit = RETRANSMIT_LIMIT) {}

  /** Bytes held. */
  get bytes(): number {
    return this.held;
  }

  /** Frames held. */
  get size(): number {
    return this.frames.length - this.head;
  }

  /** The peer's acknowledged count: the sequence number of the oldest frame still held. */
  get acknowledged(): bigint {
    return this.first;
  }

  /** One past the newest frame held. */
  get end(): bigint {
    return this.first + BigInt(this.size);
  }

  get full(): boolean {
    return this.held >= this.limit;
  }

  /** Keeps `frame`, whose sequence number must be `end`. */
  push(seq: bigint, frame: Uint8Array): void {
    if (seq !== this.end) throw new RangeError(`retransmit buffer: frame ${seq} pushed, expected ${this.end}`);
    this.frames.push(frame);
    this.held += frame.length;
  }

  /** Forgets every frame below `next` (the peer has them). `next` must lie in [acknowledged, end]. */
  release(next: bigint): void {
    if (next < this.first || next > this.end) throw new RangeError(`retransmit buffer: ${next} outside [${this.first}, ${this.end}]`);
    while (this.first < next) {
      this.held -= this.frames[this.head]!.length;
      this.frames[this.head++] = EMPTY;
      this.first++;
    }
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    if (!this.full) this.wake();
  }

  /** The frames from `next` on, in order (for resending after a resume). */
  from(next: bigint): Uint8Array[] {
    if (next < this.first || next > this.end) throw new RangeError(`retransmit buffer: ${next} outside [${this.first}, ${this.end}]`);
    return this.frames.slice(this.head + Number(next - this.first));
  }

  /** Resolves when the buffer is below its limit, or it was cleared. */
  room(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops everything (the session is over) and lets every waiter go. */
  clear(): void {
    this.frames = [];
    this.head = 0;
    this.held = 0;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

const EMPTY = new Uint8Array(0);

/** Above this many bytes queued on the connection, senders wait before handing over more. */
const HIGH_WATER = 1024 * 1024;

export interface Wire {
  /** puts one PEER frame on the current connection */
  sendPeer(bytes: Uint8Array): void;
  /** bytes queued on the current connection (0 when there is none) */
  readonly bufferedAmount: number;
}

/**
 * The sending half of a session: seals in call order, keeps every sealed frame until the peer
 * acknowledges it, and puts frames on the wire only while the path to the peer is up. While it is
 * down, frames collect in the retransmit buffer (senders wait once it is full); on resync the ones the
 * peer lacks go out again, byte for byte, and then new ones follow.
 */
export class Outbound {
  private tail: Promise<void> = Promise.resolve();
  private flowing = true;
  private closed: string | undefined;
  readonly buffer: RetransmitBuffer;

  constructor(
    private readonly sealer: ChannelSealer,
    private readonly wire: Wire,
    buffer?: RetransmitBuffer,
  ) {
    this.buffer = buffer ?? new RetransmitBuffer();
  }

  /** Seals and sends (or keeps) one plaintext; resolves once it is queued. */
  send(plaintext: Uint8Array): Promise<void> {
    const task = this.tail.then(async () => {
      await this.waitForRoom();
      if (this.closed) throw new SessionEndedError('ended', `session ended (${this.closed})`);
      const sealed = await this.sealer.seal(plaintext);
      if (this.closed) return;
      this.buffer.push(this.sealer.sent - 1n, sealed);
      if (this.flowing) this.wire.sendPeer(sealed);
    });
    this.tail = task.catch(() => undefined);
    return task;
  }

  /** The path is down: keep frames, send nothing. */
  hold(): void {
    this.flowing = false;
  }

  /** The peer's ACK: it has every frame below `next`. Throws ProtocolError for a count that cannot be. */
  acknowledge(next: bigint, stale: 'ignore' | 'refuse'): void {
    if (next < this.buffer.acknowledged) {
      if (stale === 'ignore') return;
      throw ProtocolError.replayed(next, this.buffer.acknowledged);
    }
    this.check(next);
    this.buffer.release(next);
  }

  /** The peer's SYNC on a new path: forget what it has, send it the rest again, then flow. */
  resync(next: bigint): void {
    if (next < this.buffer.acknowledged) throw ProtocolError.protocol(`sync ${next} below the acknowledged ${this.buffer.acknowledged}`);
    this.check(next);
    this.buffer.release(next);
    for (const frame of this.buffer.from(next)) this.wire.sendPeer(frame);
    this.flowing = true;
  }

  /** The session is over: waiting senders fail, nothing is kept. */
  close(reason: string): void {
    this.closed ??= reason;
    this.buffer.clear();
  }

  private check(next: bigint): void {
    if (next > this.buffer.end) throw ProtocolError.protocol(`acknowledges ${next} frames, only ${this.buffer.end} were sent`);
  }

  private async waitForRoom(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      if (this.buffer.full) await this.buffer.room();
      else if (this.flowing && this.wire.bufferedAmount > HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
      else return;
    }
  }
}