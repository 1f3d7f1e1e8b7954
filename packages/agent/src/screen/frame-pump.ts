import { VIDEO_HEADER, VideoFlow, encodeVideoFrame } from '@fernhilfe/protocol';
import { Emitter } from '@fernhilfe/protocol';
import type { ScreenCapture } from '../platform/types.js';
import type { EncodedFrame, ScreenEncoder } from '../encode/types.js';

/** Largest payload the encrypted channel carries (protocol §4.2). */
const MAX_PAYLOAD = 1024 * 1024;
/** while the flow window is full, look again this often (an ack wakes us at once) */
const BLOCKED_RETRY_MS = 100;

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
  failed: Error;
}

export interface FramePumpOptions {
  capture: ScreenCapture;
  encoder: ScreenEncoder;
  sendVideo(bytes: Uint8Array): Promise<void>;
  maxFps: number;
  /** after this long without a change the picture is sent once more in high quality (0: never); default 200 ms */
  refineAfterMs?: number;
  flow?: VideoFlow;
  now?: () => number;
}

const wallClock = (): number => performance.timeOrigin + performance.now();

/**
 * Turns screen changes into video frames, one at a time:
 *
 *   idle --damage / keyframe wanted--> [waiting (max fps)] --> grabbing --> encoding --> sent --> idle
 *        \--still for refineAfterMs after frames went out--> refining (same path, high quality) --> idle
 *   window full: nothing is grabbed; the change is kept, an ack (or the retry) takes it up
 *
 * Nothing runs while nothing changes. A change that comes while nothing is in flight is grabbed at
 * once (the max-fps wait applies only right after a frame); changes that come while a frame is on
 * its way are merged into the next one; when the viewer is behind (VideoFlow window full) captures
 * are not made at all, so what is sent next is always the newest picture.
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
  private announced = '';
  private readonly now: () => number;
  private readonly refineAfterMs: number;

  constructor(private readonly opts: FramePumpOptions) {
    super();
    this.flow = opts.flow ?? new VideoFlow();
    this.now = opts.now ?? (() => performance.now());
    this.refineAfterMs = opts.refineAfterMs ?? 200;
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
    this.timer = this.refineTimer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.busy || this.timer) return;
    const wait = Math.max(0, this.lastStart + 1000 / this.opts.maxFps - this.now());
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
    const t0 = this.now();
    const grabStart = wallClock();
    const frame = await this.opts.capture.grab({ full: keyframe || refine });
    if (!frame || this.stopped) {
      if (keyframe) this.flow.requestKeyframe();
      return; // the change was on another monitor
    }
    const t1 = this.now();
    const grabEnd = wallClock();
    const encoded = await this.opts.encoder.encode(frame, { keyframe, refine });
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
    const frameId = this.flow.sent(encoded.data.length);
    await this.opts.sendVideo(encodeVideoFrame({ keyframe: encoded.keyframe, frameId, captureTime: frame.captureTime, data: encoded.data }));
    const timing: FrameTiming = { damageAt, grabStart, grabEnd, writtenAt: encoded.writtenAt, encodedAt, sentAt: wallClock() };
    this.emit('frame', { bytes: encoded.data.length + VIDEO_HEADER, keyframe: encoded.keyframe, refine: encoded.refined === true, grabMs: t1 - t0, encodeMs: t2 - t1, width: encoded.width, height: encoded.height, timing });
  }

  private announce(f: EncodedFrame): void {
    const key = `${f.codec} ${f.width}x${f.height}`;
    if (key === this.announced) return;
    this.announced = key;
    this.emit('configured', { codec: f.codec, width: f.width, height: f.height });
  }
}
