import { VIDEO_HEADER, VideoFlow, encodeVideoFrame } from '@fernhilfe/protocol';
import { Emitter } from '@fernhilfe/client';
import type { ScreenCapture } from '../capture/types.js';
import type { EncodedFrame, ScreenEncoder } from '../encode/types.js';

/** Largest payload the encrypted channel carries (protocol §4.2). */
const MAX_PAYLOAD = 1024 * 1024;
/** while the flow window is full, look again this often (acks normally wake us earlier) */
const BLOCKED_RETRY_MS = 100;

export interface FramePumpEvents extends Record<string, unknown> {
  /** a frame went out: what it cost, for logs and the benchmark */
  frame: { bytes: number; keyframe: boolean; grabMs: number; encodeMs: number; width: number; height: number };
  /** the decoder configuration changed (before the first frame and on every size change) */
  configured: { codec: string; width: number; height: number };
  failed: Error;
}

export interface FramePumpOptions {
  capture: ScreenCapture;
  encoder: ScreenEncoder;
  sendVideo(bytes: Uint8Array): Promise<void>;
  maxFps: number;
  flow?: VideoFlow;
  now?: () => number;
}

/**
 * Turns screen changes into video frames, one at a time:
 *
 *   idle --damage / keyframe wanted--> waiting (max fps) --> grabbing --> encoding --> sent --> idle
 *                                           \--window full: wait for an ack (the change is kept, not queued)
 *
 * Nothing runs while nothing changes. Changes that come while a frame is on its way are merged
 * into the next one; when the viewer is behind (VideoFlow window full) captures are not made at
 * all, so what is sent next is always the newest picture.
 */
export class FramePump extends Emitter<FramePumpEvents> {
  readonly flow: VideoFlow;
  private dirty = true;
  private busy = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastStart = -Infinity;
  private announced = '';
  private readonly now: () => number;

  constructor(private readonly opts: FramePumpOptions) {
    super();
    this.flow = opts.flow ?? new VideoFlow();
    this.now = opts.now ?? (() => performance.now());
  }

  /** Something changed on screen (or the picture must be sent again). */
  changed(): void {
    this.dirty = true;
    this.schedule();
  }

  /** The viewer needs a keyframe (start, decoder error, another monitor). */
  keyframe(): void {
    this.flow.requestKeyframe();
    this.changed();
  }

  acked(frameId: number): void {
    this.flow.acked(frameId);
    if (this.dirty) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.busy || this.timer) return;
    const wait = Math.max(0, this.lastStart + 1000 / this.opts.maxFps - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    if (this.stopped || this.busy || !this.dirty) return;
    if (!this.flow.admit()) {
      // the viewer is behind: keep the change, look again when an ack comes (or a stale frame expires)
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.run();
      }, BLOCKED_RETRY_MS);
      return;
    }
    this.busy = true;
    this.dirty = false;
    this.lastStart = this.now();
    try {
      await this.sendOne();
    } catch (err) {
      if (!this.stopped) this.emit('failed', err instanceof Error ? err : new Error(String(err)));
      this.stopped = true;
    } finally {
      this.busy = false;
    }
    if (this.dirty) this.schedule();
  }

  private async sendOne(): Promise<void> {
    const keyframe = this.flow.takeKeyframe();
    const t0 = this.now();
    const frame = await this.opts.capture.grab({ full: keyframe });
    if (!frame || this.stopped) {
      if (keyframe) this.flow.requestKeyframe();
      return; // the change was on another monitor
    }
    const t1 = this.now();
    const encoded = await this.opts.encoder.encode(frame, { keyframe });
    const t2 = this.now();
    if (this.stopped) return;
    if (VIDEO_HEADER + encoded.data.length > MAX_PAYLOAD) {
      this.flow.requestKeyframe(); // too big for one channel frame: skip it, start again from a keyframe
      this.dirty = true;
      return;
    }
    this.announce(encoded);
    const frameId = this.flow.sent(encoded.data.length);
    await this.opts.sendVideo(encodeVideoFrame({ keyframe: encoded.keyframe, frameId, captureTime: frame.captureTime, data: encoded.data }));
    this.emit('frame', { bytes: encoded.data.length + VIDEO_HEADER, keyframe: encoded.keyframe, grabMs: t1 - t0, encodeMs: t2 - t1, width: encoded.width, height: encoded.height });
  }

  private announce(f: EncodedFrame): void {
    const key = `${f.codec} ${f.width}x${f.height}`;
    if (key === this.announced) return;
    this.announced = key;
    this.emit('configured', { codec: f.codec, width: f.width, height: f.height });
  }
}
