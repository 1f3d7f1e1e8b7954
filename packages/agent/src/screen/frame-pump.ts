import { RateControl, VIDEO_HEADER, VideoFlow, encodeVideoFrame } from '@fernhilfe/protocol';
import { Emitter } from '@fernhilfe/protocol';
import type { CapturedFrame } from '../platform/types.js';
import { Downscaler } from '../encode/downscale.js';
import type { EncodedFrame, RawFrame } from '../encode/types.js';
import { SendRate } from './send-rate.js';
import type { FrameTiming, FramePumpEvents, FramePumpOptions } from './frame-timing.js';

/** Largest payload the encrypted channel carries (protocol §4.2). */
const MAX_PAYLOAD = 1024 * 1024;
/** while the flow window is full, look again this often (an ack wakes us at once) */
const BLOCKED_RETRY_MS = 100;
/** the shortest gap between two frames' starts while the link has room (else 1000 / maxFps) */
const MIN_GAP_MS = 8;
/**
 * Frames that may go out at the short gap in a row: a bucket that refills at maxFps. A lone change
 * (a typed letter right after a frame) goes at once; continuous change (scrolling, a dragged window)
 * settles at maxFps, so the short gap lowers latency without multiplying frames and bytes.
 */
const BURST_FRAMES = 3;
/** while frames are in flight (and a moment after), the rate control decides this often between acks */
const RATE_TICK_MS = 100;
/** after the last frame was acknowledged, the rate is reported once more this much later */
const REPORT_AFTER_IDLE_MS = 1100;

export type { FrameTiming, FramePumpEvents, FramePumpOptions } from './frame-timing.js';

const wallClock = (): number => performance.timeOrigin + performance.now();

/**
 * Turns screen changes into video frames, two deep while the link has room:
 *
 *   idle --damage / keyframe wanted--> [waiting (gap, pacing)] --> grabbing --> encoding --> sent --> idle
 *        \--still for refineAfterMs after frames went out--> refining (same path, high quality) --> idle
 *   budget full: nothing is grabbed; the change is kept, an ack (or the retry) takes it up
 *
 * Nothing runs while nothing changes. While the bytes in flight are well under the rate control's
 * budget a change is grabbed at once (at least 8 ms after the previous frame started), else at most
 * maxFps a second. While a frame is being encoded, the next change is grabbed meanwhile (pipeline
 * depth 2: the grab does not wait for the frame in flight) and goes to the encoder as soon as that
 * frame is out; the encoder still gets one frame at a time. Once the path has shown that it limits
 * the sender (RateControl.limiting: a queue, or a recent cut), frames go one at a time again and
 * never faster than the target bitrate carries them (pacing: fewer frames, not staler ones); on a
 * link that has never limited, neither pacing nor the frame in flight holds a change back (the byte
 * budget in flight still bounds the queue). Changes that come while a frame is being made are merged
 * into the next one; when the budget is full captures are not made at all, so what is sent next is
 * always the newest picture. When the target cannot carry the monitor at full size (send-rate.ts)
 * frames are halved in width and height before encoding.
 */
export class FramePump extends Emitter<FramePumpEvents> {
  readonly flow: VideoFlow;
  private dirty = true;
  /** wall clock of the first change not yet grabbed */
  private dirtySince: number | undefined;
  /** a grab is under way, or its frame waits for the encoder: at most one */
  private grabbing = false;
  /** the frame handed to the encoder and not yet sent (never rejects): the next frame's encode waits for it */
  private encoding: Promise<void> | undefined;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private blocked = false;
  private refineTimer: ReturnType<typeof setTimeout> | undefined;
  /** frames went out since the last refinement: the viewer's picture may be coarse */
  private coarse = false;
  /** the last refinement did not fit a channel frame: none again until the screen changes */
  private refineTooBig = false;
  private lastStart = -Infinity;
  private tokens = BURST_FRAMES;
  private tokensAt = 0;
  private announced = '';
  private readonly now: () => number;
  private readonly refineAfterMs: number;
  private readonly rate: SendRate | undefined;
  private downscaler: Downscaler | undefined;
  /** how long after the last frame's start the target bitrate allows the next */
  private paceMs = 0;
  private rateTimer: ReturnType<typeof setInterval> | undefined;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: FramePumpOptions) {
    super();
    this.now = opts.now ?? (() => performance.now());
    this.flow = opts.flow ?? new VideoFlow({ rate: new RateControl({ now: this.now }), now: this.now });
    this.rate = this.flow.rate ? new SendRate(this.flow.rate, this.now) : undefined;
    this.refineAfterMs = opts.refineAfterMs ?? 200;
  }

  /** the picture's scale: 1, or 0.5 while the link is too narrow for the full size */
  get scale(): number {
    return this.rate?.scale ?? 1;
  }

  /** Something changed on screen (or the picture must be sent again). */
  changed(): void {
    this.refineTooBig = false;
    this.markDirty();
  }

  /** The viewer needs a keyframe (start, decoder error, another monitor). */
  keyframe(): void {
    this.flow.requestKeyframe();
    this.markDirty();
  }

  private markDirty(): void {
    if (!this.dirty) this.dirtySince = wallClock();
    this.dirty = true;
    clearTimeout(this.refineTimer);
    this.refineTimer = undefined;
    this.schedule();
  }

  acked(frameId: number): void {
    this.flow.acked(frameId);
    this.reportRate();
    if (this.blocked) {
      // the window was full: an ack opens it now, not when the retry timer fires
      clearTimeout(this.timer);
      this.timer = undefined;
      this.blocked = false;
    }
    if (this.dirty) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.refineTimer);
    clearInterval(this.rateTimer);
    clearTimeout(this.reportTimer);
    this.timer = this.refineTimer = this.rateTimer = this.reportTimer = undefined;
  }

  private refill(now: number): void {
    this.tokens = Math.min(BURST_FRAMES, this.tokens + ((now - this.tokensAt) * this.opts.maxFps) / 1000);
    this.tokensAt = now;
  }

  private schedule(): void {
    if (this.stopped || this.grabbing || this.timer || (this.encoding && !this.overlaps())) return;
    const now = this.now();
    this.refill(now);
    const frameMs = 1000 / this.opts.maxFps;
    // with room on the link: the short gap while the bucket has a frame, else when it will have one
    const gap = this.flow.hasRoom() ? Math.max(MIN_GAP_MS, now - this.lastStart + (1 - this.tokens) * frameMs) : frameMs;
    const wait = Math.max(0, this.lastStart + Math.max(gap, this.paceMs) - now);
    if (wait === 0) {
      // nothing in flight and the rate allows it: no timer tick in between
      queueMicrotask(() => void this.run());
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private async run(refine = false): Promise<void> {
    if (this.stopped || this.grabbing || (!this.dirty && !refine)) return;
    if (this.encoding && !this.overlaps()) return; // the frame in flight schedules the next when it is out
    if (!this.flow.admit()) {
      // the viewer is behind: keep the change, look again when an ack comes (or a stale frame expires)
      this.blocked = true;
      if (refine) this.dirty = true; // the refinement waits like a change
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.blocked = false;
        void this.run();
      }, BLOCKED_RETRY_MS);
      return;
    }
    this.grabbing = true;
    const damageAt = this.dirtySince;
    const wasDirty = this.dirty;
    this.dirty = false;
    this.dirtySince = undefined;
    this.lastStart = this.now();
    this.refill(this.lastStart);
    this.tokens = Math.max(0, this.tokens - 1);
    try {
      await this.grabOne(damageAt, refine && !wasDirty);
    } catch (err) {
      this.fail(err);
    } finally {
      this.grabbing = false;
    }
    this.next();
  }

  /** After a grab or a sent frame: the next change, or (nothing left to do) the refinement timer. */
  private next(): void {
    if (this.dirty) this.schedule();
    else if (!this.encoding && !this.grabbing) this.scheduleRefine();
  }

  /** May the next frame be grabbed while one is being encoded? Only on a link with room that has not limited. */
  private overlaps(): boolean {
    return this.flow.hasRoom() && this.flow.rate?.limiting !== true;
  }

  private fail(err: unknown): void {
    if (!this.stopped) this.emit('failed', err instanceof Error ? err : new Error(String(err)));
    this.stopped = true;
  }

  /** Still for refineAfterMs after coarse frames: send the picture again in high quality. */
  private scheduleRefine(): void {
    if (this.stopped || !this.coarse || this.refineTooBig || this.refineAfterMs <= 0 || !this.opts.encoder.refines) return;
    clearTimeout(this.refineTimer);
    this.refineTimer = setTimeout(() => {
      this.refineTimer = undefined;
      if (!this.dirty && !this.grabbing && !this.encoding && !this.timer) void this.run(true);
    }, this.refineAfterMs);
  }

  /**
   * Grabs a frame and hands it to the encoder once the frame before it is out (the encoder takes one
   * at a time; it reads the pixels before it first yields, so the capture may reuse its buffer for the
   * next grab while this one encodes). Resolves when the frame is handed over, not when it is sent.
   */
  private async grabOne(damageAt: number | undefined, refine: boolean): Promise<void> {
    const keyframe = this.flow.takeKeyframe();
    const monitor = this.opts.capture.selected;
    const t0 = this.now();
    const grabStart = wallClock();
    const frame = await this.opts.capture.grab({ full: keyframe || refine });
    if (!frame || this.stopped) {
      if (keyframe) this.flow.requestKeyframe();
      return; // the change was on another monitor
    }
    const t1 = this.now();
    const grabEnd = wallClock();
    if (this.encoding) await this.encoding;
    if (this.stopped) return;
    if (this.rate?.chooseScale(monitor.width, monitor.height)) this.downscaler = undefined; // a new size: the encoder starts with an IDR
    const t2 = this.now();
    const handedAt = wallClock();
    const encoding = this.opts.encoder.encode(this.scaled(frame, keyframe || refine), { keyframe, refine, maxKbps: this.flow.rate?.targetKbps });
    const done = this.sendOne(encoding, frame.captureTime, { damageAt, grabStart, grabEnd, handedAt, grabMs: t1 - t0, t2 })
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        if (this.encoding === done) this.encoding = undefined;
        this.next();
      });
    this.encoding = done;
  }

  private async sendOne(encoding: Promise<EncodedFrame>, captureTime: number, t: Omit<FrameTiming, 'writtenAt' | 'encodedAt' | 'sentAt'> & { grabMs: number; t2: number }): Promise<void> {
    const encoded = await encoding;
    const t3 = this.now();
    const encodedAt = wallClock();
    if (this.stopped) return;
    if (VIDEO_HEADER + encoded.data.length > MAX_PAYLOAD) {
      if (encoded.refined) this.refineTooBig = true;
      this.flow.requestKeyframe(); // too big for one channel frame: skip it, start again from a keyframe
      this.dirty = true;
      return;
    }
    this.announce(encoded);
    this.coarse = !encoded.refined;
    const frameId = this.flow.sent(encoded.data.length, encoded.keyframe);
    // pacing only once the path has shown that it limits: on a link with room a refinement's IDR must
    // not hold the next change for its own transmission time at a target the sender never reached
    this.paceMs = this.flow.rate?.limiting ? this.flow.paceMs(VIDEO_HEADER + encoded.data.length) : 0;
    this.rate?.frameSent();
    this.reportRate();
    this.startRateTimer();
    await this.opts.sendVideo(encodeVideoFrame({ keyframe: encoded.keyframe, frameId, captureTime, data: encoded.data }));
    const timing: FrameTiming = { damageAt: t.damageAt, grabStart: t.grabStart, grabEnd: t.grabEnd, handedAt: t.handedAt, writtenAt: encoded.writtenAt, encodedAt, sentAt: wallClock() };
    this.emit('frame', { bytes: encoded.data.length + VIDEO_HEADER, keyframe: encoded.keyframe, refine: encoded.refined === true, grabMs: t.grabMs, encodeMs: t3 - t.t2, width: encoded.width, height: encoded.height, timing });
  }

  private scaled(frame: CapturedFrame, whole: boolean): RawFrame {
    if (this.scale === 1) return frame;
    this.downscaler ??= new Downscaler();
    return this.downscaler.run(whole ? { ...frame, dirty: undefined } : frame);
  }

  /**
   * Between acks the rate control still decides (a link that narrowed holds the acks back): every
   * 100 ms while frames are in flight. Once none are, one more report a second later (the frame rate
   * has fallen), then nothing: a still screen costs no timer.
   */
  private startRateTimer(): void {
    if (!this.rate) return;
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    this.rateTimer ??= setInterval(() => {
      this.flow.tick();
      this.reportRate();
      if (this.flow.pending > 0) return;
      clearInterval(this.rateTimer);
      this.rateTimer = undefined;
      this.reportTimer = setTimeout(() => {
        this.reportTimer = undefined;
        this.reportRate();
      }, REPORT_AFTER_IDLE_MS);
    }, RATE_TICK_MS);
  }

  private reportRate(): void {
    const r = this.rate?.report();
    if (r) this.emit('rate', r);
  }

  private announce(f: EncodedFrame): void {
    const key = `${f.codec} ${f.width}x${f.height}`;
    if (key === this.announced) return;
    this.announced = key;
    this.emit('configured', { codec: f.codec, width: f.width, height: f.height });
  }
}
