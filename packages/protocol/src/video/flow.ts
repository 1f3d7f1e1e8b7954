import type { RateControl } from './rate-control.js';

/**
 * Sender-side flow control for video, shared by the browser (VideoEncoder) and the native agent.
 * The viewer acknowledges each drawn frame. A capture that arrives while no more may be in flight
 * is dropped (never queued: a stale frame is worth nothing). Without a rate control at most `window`
 * frames are in flight. With one (`rate`), what may be in flight is a byte budget, the target
 * bitrate over the minimum round trip plus a margin (always at least one frame), so a long round
 * trip does not cap the frame rate and a narrow link does not queue; acks feed the rate control.
 */
export interface FlowOptions {
  /** frames in flight at most (default 3; with `rate` default 16, the budget decides first) */
  window?: number;
  /** a frame not acknowledged after this long no longer counts as in flight (lost or viewer gone) */
  staleMs?: number;
  /** byte budget and bitrate from acknowledgements (see RateControl) */
  rate?: RateControl;
  now?: () => number;
}

/** a keyframe wanted while the budget has no room for it waits at most this long for the room */
const KEYFRAME_WAIT_MS = 500;

export class VideoFlow {
  private readonly inFlight = new Map<number, { sentAt: number; bytes: number }>();
  private nextId = 0;
  private rttMs = 0;
  private readonly window: number;
  private readonly staleMs: number;
  private readonly now: () => number;
  private keyframeWanted = true;
  private keyframeWaitSince: number | undefined;
  private bytesInFlight = 0;
  /** running mean of delta frames and the last keyframe's size, to see whether the next one fits */
  private deltaBytes = 0;
  private keyBytes = 0;
  readonly rate: RateControl | undefined;
  /** totals, for the quality indicator */
  sentFrames = 0;
  droppedFrames = 0;
  ackedFrames = 0;
  ackedBytes = 0;

  constructor(opts: FlowOptions = {}) {
    this.rate = opts.rate;
    this.window = opts.window ?? (opts.rate ? 16 : 3);
    this.staleMs = opts.staleMs ?? 2000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** May a new capture be encoded now? Counts a drop when not. */
  admit(): boolean {
    this.expire();
    if (this.fits()) return true;
    this.rate?.onBlocked();
    this.droppedFrames++;
    return false;
  }

  /** True when the in-flight bytes are well under the budget (under half): a change may go out at once. */
  hasRoom(): boolean {
    this.expire();
    if (!this.rate) return this.inFlight.size === 0;
    return this.inFlight.size === 0 || (this.inFlight.size < this.window && this.bytesInFlight + this.deltaBytes <= this.rate.budgetBytes() / 2);
  }

  /** How long to wait after a frame of `bytes` so the sending rate stays at the target (0 without a rate control). */
  paceMs(bytes: number): number {
    return this.rate ? (bytes * 8) / this.rate.targetKbps : 0;
  }

  /** Lets the rate control decide between acks (call every ~100 ms while frames are in flight); true when the target changed. */
  tick(): boolean {
    let oldest = Infinity;
    for (const f of this.inFlight.values()) oldest = Math.min(oldest, f.sentAt);
    return this.rate?.update(oldest === Infinity ? 0 : this.now() - oldest) ?? false;
  }

  /** Call when a frame was encoded and handed to the channel; returns its frame id. */
  sent(bytes: number, keyframe = false): number {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    this.inFlight.set(id, { sentAt: this.now(), bytes });
    this.bytesInFlight += bytes;
    if (keyframe) this.keyBytes = bytes;
    else this.deltaBytes = this.deltaBytes === 0 ? bytes : this.deltaBytes * 0.8 + bytes * 0.2;
    this.rate?.onSent(bytes);
    this.sentFrames++;
    return id;
  }

  acked(frameId: number): void {
    const f = this.inFlight.get(frameId);
    if (!f) return;
    let bytes = f.bytes;
    this.forget(frameId);
    // acks arrive in order: anything older was skipped by the viewer (its bytes did get through)
    for (const [id, older] of this.inFlight) {
      if (id < frameId) {
        bytes += older.bytes;
        this.forget(id);
      }
    }
    const rtt = this.now() - f.sentAt;
    this.rttMs = this.rttMs === 0 ? rtt : this.rttMs * 0.8 + rtt * 0.2;
    this.rate?.onAck(bytes, rtt);
    this.ackedFrames++;
    this.ackedBytes += f.bytes;
  }

  /** The viewer asked for a keyframe (or we lost track): the next encoded frame must be one. */
  requestKeyframe(): void {
    this.keyframeWanted = true;
  }

  /** True once per request: the encoder should make this frame a keyframe. */
  takeKeyframe(): boolean {
    const k = this.keyframeWanted;
    this.keyframeWanted = false;
    this.keyframeWaitSince = undefined;
    return k;
  }

  get roundTripMs(): number {
    return this.rttMs;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** bytes sent and not yet acknowledged */
  get pendingBytes(): number {
    return this.bytesInFlight;
  }

  private fits(): boolean {
    if (this.inFlight.size === 0) return true;
    if (this.inFlight.size >= this.window) return false;
    if (!this.rate) return true;
    const budget = this.rate.budgetBytes();
    if (this.keyframeWanted && this.keyBytes > 0) {
      const now = this.now();
      this.keyframeWaitSince ??= now;
      return this.bytesInFlight + this.keyBytes <= budget || now - this.keyframeWaitSince >= KEYFRAME_WAIT_MS;
    }
    return this.bytesInFlight + this.deltaBytes <= budget;
  }

  private forget(id: number): void {
    const f = this.inFlight.get(id);
    if (!f) return;
    this.inFlight.delete(id);
    this.bytesInFlight -= f.bytes;
  }

  private expire(): void {
    const limit = this.now() - this.staleMs;
    for (const [id, f] of this.inFlight) {
      if (f.sentAt < limit) {
        this.forget(id);
        this.keyframeWanted = true; // the viewer may have missed a reference frame
      }
    }
  }
}
