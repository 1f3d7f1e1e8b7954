import { Emitter } from '@fernhilfe/protocol';
import { CaptureError } from '../errors.js';
import type { CapturedFrame, CursorShape, Monitor, PlatformEnv, ScreenCapture, ScreenCaptureEvents } from '../types.js';
import { GstFrames, type Sample } from './gst.js';

/** What the capture needs of a screen-cast session (mutter's, or the portal's). */
export interface CastSession {
  readonly monitors: ReadonlyArray<Monitor & { node: number }>;
  onClosed(listener: () => void): void;
  /** the capture is done with the session */
  release(): Promise<void>;
}

/**
 * The screen of a Wayland desktop: frames of the selected monitor's PipeWire stream through the
 * system's GStreamer (gst.ts). Mutter sends a frame when the screen changes (and the keepalive
 * repeats it): each new one is a `damage`, `grab()` copies it, and a repeat of the last picture
 * counts as no change. The pointer is drawn into the frames (cursor-mode embedded).
 */
export class WaylandScreenCapture extends Emitter<ScreenCaptureEvents> implements ScreenCapture {
  readonly method = 'pipewire';
  readonly pointerEvents = false;
  private current: Monitor & { node: number };
  private frames: GstFrames | undefined;
  private pending: Sample | undefined;
  private front = Buffer.alloc(0);
  private back = Buffer.alloc(0);
  private shown: { width: number; height: number } | undefined;
  private closed = false;

  private constructor(
    private readonly env: PlatformEnv,
    private readonly session: CastSession,
  ) {
    super();
    this.current = session.monitors.find((m) => m.primary) ?? session.monitors[0]!;
    session.onClosed(() => {
      if (!this.closed) this.emit('closed', new CaptureError('closed', 'the desktop ended the screen-cast session'));
    });
  }

  static open(env: PlatformEnv, session: CastSession): WaylandScreenCapture {
    const capture = new WaylandScreenCapture(env, session);
    try {
      capture.stream();
    } catch (err) {
      void session.release();
      throw err;
    }
    return capture;
  }

  get monitors(): readonly Monitor[] {
    return this.session.monitors;
  }

  get selected(): Monitor {
    return this.current;
  }

  select(monitorId: string): boolean {
    const next = this.session.monitors.find((m) => m.id === monitorId);
    if (!next) return false;
    if (next === this.current) return true;
    this.current = next;
    this.stream();
    return true;
  }

  /** Frames from the selected monitor's node from now on (the previous stream's pipeline stops). */
  private stream(): void {
    const old = this.frames;
    this.dropPending();
    this.shown = undefined;
    const node = this.current.node;
    this.frames = GstFrames.open(this.env, node, (sample) => {
      if (this.closed || this.current.node !== node) return sample.release();
      this.dropPending();
      this.pending = sample;
      this.emit('damage', undefined);
    });
    void old?.close();
  }

  private dropPending(): void {
    this.pending?.release();
    this.pending = undefined;
  }

  grab(opts: { full?: boolean } = {}): Promise<CapturedFrame | undefined> {
    const captureTime = Date.now();
    const sample = this.pending;
    this.pending = undefined;
    if (sample) {
      const width = sample.width & ~1;
      const height = sample.height & ~1;
      const size = sample.width * sample.height * 4;
      if (this.back.length !== size) this.back = Buffer.alloc(size);
      sample.copyTo(this.back);
      const same = this.shown?.width === sample.width && this.shown.height === sample.height && this.back.equals(this.front);
      [this.front, this.back] = [this.back, this.front];
      this.shown = { width: sample.width, height: sample.height };
      if (!same || opts.full) return Promise.resolve(this.frame(width, height, captureTime));
      return Promise.resolve(undefined);
    }
    if (opts.full && this.shown) return Promise.resolve(this.frame(this.shown.width & ~1, this.shown.height & ~1, captureTime));
    return Promise.resolve(undefined);
  }

  /** The front picture as `width`×`height` (odd sizes lose their last column or row). */
  private frame(width: number, height: number, captureTime: number): CapturedFrame {
    const stride = this.shown!.width * 4;
    if (width * 4 === stride) return { width, height, data: this.front.subarray(0, width * height * 4), captureTime };
    const data = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) this.front.copy(data, y * width * 4, y * stride, y * stride + width * 4);
    return { width, height, data, captureTime };
  }

  cursorShape(): Promise<CursorShape | undefined> {
    return Promise.resolve(undefined);
  }

  pointer(): Promise<{ x: number; y: number } | undefined> {
    return Promise.resolve(undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropPending();
    const frames = this.frames;
    this.frames = undefined;
    void (frames?.close() ?? Promise.resolve()).finally(() => this.session.release());
  }
}
