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
