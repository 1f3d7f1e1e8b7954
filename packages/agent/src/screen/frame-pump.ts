import { RateControl, VIDEO_HEADER, VideoFlow, encodeVideoFrame } from '@fernhilfe/protocol';
import { Emitter } from '@fernhilfe/protocol';
import type { CapturedFrame, ScreenCapture } from '../platform/types.js';
import { Downscaler } from '../encode/downscale.js';
import type { EncodedFrame, RawFrame, ScreenEncoder } from '../encode/types.js';
import { SendRate, type RateReport } from './send-rate.js';

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

/**
 * Where one frame's time went, wall clock in ms since the epoch with sub-ms precision
 * (performance.timeOrigin + performance.now(), the clock the benchmark's viewer page uses too).
 */
export interface FrameTiming {
  /** the first change (DamageNotify) this frame carries; undefined for a refinement or a keyframe only */
  damageAt: number | undefined;
  grabStart: number;
  grabEnd: number;
  /** the whole raw frame handed to the encoder (pipe write done), when the encoder reports it */
  writtenAt: number | undefined;
  /** the access unit came out of the encoder */
  encodedAt: number;
  /** sealed and queued on the session */
  sentAt: number;
}

export interface FramePumpEvents extends Record<string, unknown> {
  /** a frame went out: what it cost, for logs and the benchmark */
  frame: { bytes: number; keyframe: boolean; refine: boolean; grabMs: number; encodeMs: number; width: number; height: number; timing: FrameTiming };
  /** the decoder configuration changed (before the first frame and on every size change) */
  configured: { codec: string; width: number; height: number };
  /** the rate control's state for the viewer (`video-rate`): at most about once a second, at once when the scale changes */
  rate: RateReport;
  failed: Error;
}

export interface FramePumpOptions {
  capture: ScreenCapture;
  encoder: ScreenEncoder;
  sendVideo(bytes: Uint8Array): Promise<void>;
  maxFps: number;
  /** after this long without a change the picture is sent once more in high quality (0: never); default 200 ms */
  refineAfterMs?: number;
  /** default: a VideoFlow with a RateControl (byte budget, pacing, bitrate cap, scale); a flow without one keeps the frame window */
  flow?: VideoFlow;
  now?: () => number;
}

const wallClock = (): number => performance.timeOrigin + performance.now();

/**
 * Turns screen changes into video frames, one at a time:
 *
 *   idle --damage / keyframe wanted--> [waiting (gap, pacing)] --> grabbing --> encoding --> sent --> idle
 *        \--still for refineAfterMs after frames went out--> refining (same path, high quality) --> idle
 *   budget full: nothing is grabbed; the change is kept, an ack (or the retry) takes it up
 *
 * Nothing runs while nothing changes. While the bytes in flight are well under the rate control's
 * budget a change is grabbed at once (at least 8 ms after the previous frame started), else at most
 * maxFps a second; and never faster than the target bitrate carries the frames (pacing: fewer
 * frames, not staler ones). Changes that come while a frame is being made are merged into the next
 * one; when the budget is full captures are not made at all, so what is sent next is always the
 * newest picture. When the target cannot carry the monitor at full size (send-rate.ts) frames are
 * halved in width and height before encoding.
 */
export class FramePump extends Emitter<FramePumpEvents> {
  readonly flow: VideoFlow;
  private dirty = true;
  /** wall clock of the first change not yet grabbed */
  private dirtySince: number | undefined;
  private busy = false;
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
    if (this.stopped || this.busy || this.timer) return;
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
    if (this.stopped || this.busy || (!this.dirty && !refine)) return;
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
    this.busy = true;
    const damageAt = this.dirtySince;
    const wasDirty = this.dirty;
    this.dirty = false;
    this.dirtySince = undefined;
    this.lastStart = this.now();
    this.refill(this.lastStart);
    this.tokens = Math.max(0, this.tokens - 1);
    try {
      await this.sendOne(damageAt, refine && !wasDirty);
    } catch (err) {
      if (!this.stopped) this.emit('failed', err instanceof Error ? err : new Error(String(err)));
      this.stopped = true;
    } finally {
      this.busy = false;
    }
    if (this.dirty) this.schedule();
    else this.scheduleRefine();
  }

  /** Still for refineAfterMs after coarse frames: send the picture again in high quality. */
  private scheduleRefine(): void {
    if (this.stopped || !this.coarse || this.refineTooBig || this.refineAfterMs <= 0 || !this.opts.encoder.refines) return;
    clearTimeout(this.refineTimer);
    this.refineTimer = setTimeout(() => {
      this.refineTimer = undefined;
      if (!this.dirty && !this.busy && !this.timer) void this.run(true);
    }, this.refineAfterMs);
  }

  private async sendOne(damageAt: number | undefined, refine: boolean): Promise<void> {
    const keyframe = this.flow.takeKeyframe();
    const monitor = this.opts.capture.selected;
    if (this.rate?.chooseScale(monitor.width, monitor.height)) this.downscaler = undefined; // a new size: the encoder starts with an IDR
    const t0 = this.now();
    const grabStart = wallClock();
    const frame = await this.opts.capture.grab({ full: keyframe || refine });
    if (!frame || this.stopped) {
      if (keyframe) this.flow.requestKeyframe();
      return; // the change was on another monitor
    }
    const t1 = this.now();
    const grabEnd = wallClock();
    const encoded = await this.opts.encoder.encode(this.scaled(frame, keyframe || refine), { keyframe, refine, maxKbps: this.flow.rate?.targetKbps });
    const t2 = this.now();
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
    this.paceMs = this.flow.paceMs(VIDEO_HEADER + encoded.data.length);
    this.rate?.frameSent();
    this.reportRate();
    this.startRateTimer();
    await this.opts.sendVideo(encodeVideoFrame({ keyframe: encoded.keyframe, frameId, captureTime: frame.captureTime, data: encoded.data }));
    const timing: FrameTiming = { damageAt, grabStart, grabEnd, writtenAt: encoded.writtenAt, encodedAt, sentAt: wallClock() };
    this.emit('frame', { bytes: encoded.data.length + VIDEO_HEADER, keyframe: encoded.keyframe, refine: encoded.refined === true, grabMs: t1 - t0, encodeMs: t2 - t1, width: encoded.width, height: encoded.height, timing });
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
