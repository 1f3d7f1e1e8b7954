import type { RateControl } from './rate-control.js';

/**
 * Sender-side flow control for video, shared by the browser (VideoEncoder) and the native agent.
 * The viewer acknowledges each drawn frame. A capture that arrives while no more may be in flight
 * is dropped (never queued: a stale frame is worth nothing). Without a rate control at most `window`
 * frames are in flight. With one (`rate`), what may be in flight is a byte budget, the target
 * bitrate over the minimum round trip plus a margin (always at least one frame), so a long round
 * trip does not cap the frame rate and a narrow link does not queue, and a frame window of the
 * path's round trip in frames plus one, so a slow viewer does not queue; acks feed the rate control.
 */
export interface FlowOptions {
  /** frames in flight at most (default 3; with `rate` default 16, and fewer on a short round trip: see frameWindow) */
  window?: number;
  /** a frame not acknowledged after this long no longer counts as in flight (lost or viewer gone) */
  staleMs?: number;
  /** byte budget and bitrate from acknowledgements (see RateControl) */
  rate?: RateControl;
  now?: () => number;
}

/** a frame out this much longer than expected is still crossing the link (the rate control's quiet path, ms) */
const QUIET_MS = 15;
/** the frame interval the frame window is reckoned in (30 frames/s) */
const FRAME_MS = 1000 / 30;
/** a keyframe wanted while the budget has no room for it waits at most this long for the room */
const KEYFRAME_WAIT_MS = 500;

export class VideoFlow {
  private readonly inFlight = new Map<number, { sentAt: number; bytes: number }>();
  private nextId = 0;
  private rttMs = 0;
  /** how long the viewer holds a frame before its ack (decoding, drawing), smoothed */
  private viewerMs = 0;
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
    const fits = this.fits();
    if (fits === true) return true;
    // a full byte budget says the path limits the sender; so does a full frame window whose oldest frame
    // is still on its way (older than the base round trip plus what the viewer usually holds a frame:
    // a big frame crossing a narrow link); a window full because the viewer is slow to draw does not,
    // and a lower bitrate would not help it
    if (fits === 'bytes' || (fits === 'frames' && this.onTheWayMs() > QUIET_MS)) this.rate?.onBlocked();
    this.droppedFrames++;
    return false;
  }

  /**
   * Frames that may be in flight: `window` without a rate control; with one, what the path's base
   * round trip (without the time the viewer holds a frame, see acked) holds at 30 frames/s, at least
   * one (1 on a LAN, 2 over DSL, 3 over LTE), at most `window`. The viewer decodes one frame while the
   * next is on its way; a viewer that decodes slower than the screen changes (a software decoder on a
   * busy PC: ~30 ms a 1080p frame on the bench's technician core) then acknowledges late and the
   * sender merges the changes into its next frame, as noVNC asks for the next update only after the
   * last one. A deeper window only queued frames in the viewer's decoder, each waiting for all before
   * it (a median of 207 ms held with 8 in flight; typing on a LAN: 84 ms glass-to-glass with 1, 173 ms
   * with 2; docs/agent-screen.md, "The viewer's backlog").
   */
  get frameWindow(): number {
    if (!this.rate) return this.window;
    return Math.min(this.window, Math.max(1, Math.ceil(this.rate.minRttMs / FRAME_MS)));
  }

  /** how much longer than the base round trip and the viewer's usual hold the oldest frame in flight has been out (ms) */
  private onTheWayMs(): number {
    let oldest = Infinity;
    for (const f of this.inFlight.values()) oldest = Math.min(oldest, f.sentAt);
    return oldest === Infinity || !this.rate ? 0 : this.now() - oldest - this.viewerMs - this.rate.minRttMs;
  }

  /** True when the in-flight bytes are well under the budget (under half): a change may go out at once. */
  hasRoom(): boolean {
    this.expire();
    if (!this.rate) return this.inFlight.size === 0;
    return this.inFlight.size === 0 || (this.inFlight.size < this.frameWindow && this.bytesInFlight + this.deltaBytes <= this.rate.budgetBytes() / 2);
  }

  /** How long to wait after a frame of `bytes` so the sending rate stays at the target (0 without a rate control). */
  paceMs(bytes: number): number {
    return this.rate ? (bytes * 8) / this.rate.targetKbps : 0;
  }

  /** Lets the rate control decide between acks (call every ~100 ms while frames are in flight); true when the target changed. */
  tick(): boolean {
    let oldest = Infinity;
    for (const f of this.inFlight.values()) oldest = Math.min(oldest, f.sentAt);
    // the oldest frame's age, less the time the viewer usually holds a frame before its ack (not the path's)
    return this.rate?.update(oldest === Infinity ? 0 : Math.max(0, this.now() - oldest - this.viewerMs)) ?? false;
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

  /**
   * The viewer acknowledged `frameId` (and so every older frame); `viewerMs` is how long the viewer held
   * it before the ack (video-ack's heldMs): the round trip the rate control sees is the path's, not the
   * viewer's decoding. The frame still counts as in flight until the ack (the frame window).
   */
  acked(frameId: number, viewerMs = 0): void {
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
    const rtt = Math.max(0, this.now() - f.sentAt - viewerMs);
    this.viewerMs = this.viewerMs * 0.8 + viewerMs * 0.2;
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

  /** true, or what is full: the frame window, the byte budget for a keyframe, or the byte budget */
  private fits(): true | 'frames' | 'keyframe' | 'bytes' {
    if (this.inFlight.size === 0) return true;
    if (this.inFlight.size >= this.frameWindow) return 'frames';
    if (!this.rate) return true;
    const budget = this.rate.budgetBytes();
    if (this.keyframeWanted && this.keyBytes > 0) {
      const now = this.now();
      this.keyframeWaitSince ??= now;
      // a keyframe bigger than what a short round trip keeps in flight waits for room, but that is no sign
      // that the path limits the sender
      return this.bytesInFlight + this.keyBytes <= budget || now - this.keyframeWaitSince >= KEYFRAME_WAIT_MS || 'keyframe';
    }
    return this.bytesInFlight + this.deltaBytes <= budget || 'bytes';
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
