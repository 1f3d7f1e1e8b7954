import { ProtocolError, type ChannelSealer } from '@fernhilfe/protocol';
import { SessionEndedError } from '../errors.js';
import { RetransmitBuffer } from './retransmit-buffer.js';

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
