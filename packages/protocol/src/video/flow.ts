/**
 * Sender-side flow control for video, shared by the browser (VideoEncoder) and the native agent.
 * The viewer acknowledges each drawn frame. The sender keeps at most `window` frames in flight;
 * a capture that arrives while the window is full is dropped (never queued: a stale frame is worth
 * nothing). It also tracks the acknowledged round trip and the rate that gets through, so encoders
 * can adapt frame rate and bitrate.
 */
export interface FlowOptions {
  window?: number;
  /** a frame not acknowledged after this long no longer counts as in flight (lost or viewer gone) */
  staleMs?: number;
  now?: () => number;
}

export class VideoFlow {
  private readonly inFlight = new Map<number, { sentAt: number; bytes: number }>();
  private nextId = 0;
  private rttMs = 0;
  private readonly window: number;
  private readonly staleMs: number;
  private readonly now: () => number;
  private keyframeWanted = true;
  /** totals, for the quality indicator */
  sentFrames = 0;
  droppedFrames = 0;
  ackedFrames = 0;
  ackedBytes = 0;

  constructor(opts: FlowOptions = {}) {
    this.window = opts.window ?? 3;
    this.staleMs = opts.staleMs ?? 2000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** May a new capture be encoded now? Counts a drop when not. */
  admit(): boolean {
    this.expire();
    if (this.inFlight.size < this.window) return true;
    this.droppedFrames++;
    return false;
  }

  /** Call when a frame was encoded and handed to the channel; returns its frame id. */
  sent(bytes: number): number {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    this.inFlight.set(id, { sentAt: this.now(), bytes });
    this.sentFrames++;
    return id;
  }

  acked(frameId: number): void {
    const f = this.inFlight.get(frameId);
    if (!f) return;
    this.inFlight.delete(frameId);
    // acks arrive in order: anything older was skipped by the viewer
    for (const id of this.inFlight.keys()) if (id < frameId) this.inFlight.delete(id);
    const rtt = this.now() - f.sentAt;
    this.rttMs = this.rttMs === 0 ? rtt : this.rttMs * 0.8 + rtt * 0.2;
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
    return k;
  }

  get roundTripMs(): number {
    return this.rttMs;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  private expire(): void {
    const limit = this.now() - this.staleMs;
    for (const [id, f] of this.inFlight) {
      if (f.sentAt < limit) {
        this.inFlight.delete(id);
        this.keyframeWanted = true; // the viewer may have missed a reference frame
      }
    }
  }
}
