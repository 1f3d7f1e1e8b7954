import { LogicalChannel } from '@fernhilfe/protocol';
import type { SecureSession } from '@fernhilfe/client';

/** Both ends of one session in the same thread, so send and receive times share one clock. */
export interface StreamPair {
  sender: SecureSession;
  receiver: SecureSession;
  close(): Promise<void>;
}

export interface StreamCounts {
  /** frames the schedule did not send because the session still had MAX_QUEUED frames unwritten */
  skipped: number;
  /** frames handed to sendData() */
  sent: number;
  /** frames sealed and written to the WebSocket (sendData() resolved) */
  written: number;
  received: number;
  receivedBytes: number;
  /** frames skipped: numbers that never arrived although a later one did */
  gaps: number;
  /** frames that arrived with a number below the next expected one (repeats, reordering) */
  reordered: number;
  sendErrors: number;
  /** performance.now() of the last frame received */
  lastReceiveAt: number;
}

/** A bench that cannot keep up stops queueing after this many unwritten frames per session (2 s at 16 ms). */
const MAX_QUEUED = 128;

/**
 * Sends `chunk`-byte frames from sender to receiver every `intervalMs`, on a fixed schedule (a
 * late timer sends the frames that fell due meanwhile, so the rate holds; a session whose queue is
 * full skips frames instead of growing it without bound). Each frame carries the
 * send time (float64, performance.now(), bytes 0-7) and its number (u32, bytes 8-11); the receiver
 * records the one-way time of every frame sent from `measureFrom` on into `latencies`. The send time
 * is taken just before sendData(), so the one-way time covers the session's send queue, sealing,
 * the transport, and opening.
 */
export class PacedStream {
  readonly counts: StreamCounts = { skipped: 0, sent: 0, written: 0, received: 0, receivedBytes: 0, gaps: 0, reordered: 0, sendErrors: 0, lastReceiveAt: 0 };
  private readonly template: Uint8Array;
  private nextSeq = 0;

  constructor(
    private readonly pair: StreamPair,
    chunk: number,
    private readonly intervalMs: number,
    latencies: number[],
    measureFrom: number,
  ) {
    this.template = crypto.getRandomValues(new Uint8Array(chunk));
    pair.receiver.on('data', ({ bytes }) => {
      const now = performance.now();
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const sentAt = view.getFloat64(0);
      if (sentAt >= measureFrom) latencies.push(now - sentAt);
      const seq = view.getUint32(8);
      if (seq < this.nextSeq) this.counts.reordered++;
      else this.counts.gaps += seq - this.nextSeq;
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      this.counts.received++;
      this.counts.receivedBytes += bytes.length;
      this.counts.lastReceiveAt = now;
    });
  }

  /**
   * Sends from `startAt` until `endAt` (performance.now() times); resolves when the schedule is over,
   * whether or not the session has worked through its queue (see `written`).
   */
  run(startAt: number, endAt: number): Promise<void> {
    const dueAt = (n: number) => startAt + n * this.intervalMs;
    return new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (dueAt(this.scheduled) <= now && dueAt(this.scheduled) < endAt) this.sendOne();
        const next = dueAt(this.scheduled);
        if (next >= endAt) resolve();
        else setTimeout(tick, Math.max(0, next - performance.now()));
      };
      setTimeout(tick, Math.max(0, startAt - performance.now()));
    });
  }

  /** frames the schedule called for so far */
  get scheduled(): number {
    return this.counts.sent + this.counts.skipped;
  }

  /** Every frame was written and every written frame has arrived (or the send queue failed). */
  get drained(): boolean {
    return this.counts.written + this.counts.sendErrors >= this.counts.sent && this.counts.received >= this.counts.written;
  }

  private sendOne(): void {
    if (this.counts.sent - this.counts.written - this.counts.sendErrors >= MAX_QUEUED) {
      this.counts.skipped++;
      return;
    }
    const frame = this.template.slice();
    const view = new DataView(frame.buffer);
    view.setUint32(8, this.counts.sent);
    this.counts.sent++;
    view.setFloat64(0, performance.now());
    this.pair.sender.sendData(LogicalChannel.data, frame).then(
      () => void this.counts.written++,
      () => void this.counts.sendErrors++,
    );
  }
}
