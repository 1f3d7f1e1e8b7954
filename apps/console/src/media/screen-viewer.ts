import { decodeVideoFrame, type ControlMessage, type VideoFrame as EncodedFrame } from '@fernhilfe/protocol';
import type { Size } from './canvas-fit';
import { QualityMeter, type QualityStats } from './quality-meter';
import { webCodecs, type DecoderFactory } from './webcodecs';

/** What the viewer area shows. */
export type ScreenState =
  | { kind: 'waiting' } // no video-config yet: the customer has not shared the screen
  | { kind: 'starting' } // configured, no frame drawn yet
  | { kind: 'playing' }
  | { kind: 'stopped' } // the customer stopped sharing
  | { kind: 'unsupported'; codec: string };

export interface ScreenViewerHandlers {
  /** Sends a control message to the customer (`keyframe-request`, `video-ack`). */
  sendControl(message: ControlMessage): void;
  onState?(state: ScreenState): void;
  /** The size of the customer's screen in pixels, whenever it changes. */
  onFrameSize?(size: Size): void;
  /** Once per second. */
  onStats?(stats: QualityStats): void;
}

export interface ScreenViewerOptions {
  decoders?: DecoderFactory;
  /** wall clock (ms since the epoch) to compare with the sender's capture times */
  wallClock?: () => number;
  /** monotonic clock in ms */
  now?: () => number;
  /** ask for a keyframe when nothing was drawn this long after a video-config */
  keyframeTimeoutMs?: number;
  statsIntervalMs?: number;
}

/** Frames kept while the browser checks a new configuration (from the latest keyframe on). */
const MAX_BUFFERED = 120;
/** Decoder errors in a row (without a drawn frame) before the viewer gives up. */
const MAX_FAILURES = 5;
/** Keyframe requests caused by skipped frames are sent at most this often. */
const KEYFRAME_REQUEST_GAP_MS = 500;

/**
 * Shows the customer's screen: video frames from the encrypted channel -> WebCodecs VideoDecoder ->
 * canvas, and a `video-ack` for every drawn frame (the sender's flow control). Asks for a keyframe when
 * the session opens, while it waits for the first one, after a decoder error, and when nothing arrived
 * 3 s after a `video-config`. No React in here: a component attaches the canvas.
 */
export class ScreenViewer {
  private canvas: HTMLCanvasElement | undefined;
  private context: CanvasRenderingContext2D | undefined;
  private decoder: VideoDecoder | undefined;
  /** the configuration in use, once the browser said it supports it */
  private config: VideoDecoderConfig | undefined;
  private generation = 0;
  private checking = false;
  private buffered: EncodedFrame[] = [];
  private needKeyframe = true;
  /** chunk timestamp -> the frame it came from */
  private readonly inDecoder = new Map<number, { frameId: number; captureTime: number }>();
  private nextTimestamp = 0;
  private lastKeyframeRequest = -Infinity;
  /** when the latest video-config came, until a frame from it is drawn */
  private configuredAt: number | undefined;
  private state: ScreenState = { kind: 'waiting' };
  private frameSize: Size = { width: 0, height: 0 };
  private readonly meter: QualityMeter;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly decoders: DecoderFactory;
  private readonly wallClock: () => number;
  private readonly now: () => number;
  private readonly keyframeTimeoutMs: number;
  private closed = false;
  /** decoder errors since the last drawn frame */
  private failures = 0;

  constructor(
    private readonly handlers: ScreenViewerHandlers,
    opts: ScreenViewerOptions = {},
  ) {
    this.decoders = opts.decoders ?? webCodecs;
    this.now = opts.now ?? (() => performance.now());
    this.wallClock = opts.wallClock ?? (() => performance.timeOrigin + performance.now());
    this.keyframeTimeoutMs = opts.keyframeTimeoutMs ?? 3000;
    this.meter = new QualityMeter(this.now);
    this.timer = setInterval(() => this.tick(), opts.statsIntervalMs ?? 1000);
  }

  /** The session is open: ask for a keyframe in case the customer is already sharing. */
  start(): void {
    this.requestKeyframe(true);
  }

  get screenState(): ScreenState {
    return this.state;
  }

  /** Draw into this canvas from now on (null: stop drawing, frames are still acknowledged). */
  attach(canvas: HTMLCanvasElement | null): void {
    if (this.closed || canvas === (this.canvas ?? null)) return;
    this.canvas = canvas ?? undefined;
    this.context = canvas?.getContext('2d', { alpha: false }) ?? undefined;
    if (!canvas) return;
    if (this.frameSize.width > 0) this.sizeCanvas(this.frameSize);
    // a new canvas is blank and a still screen sends nothing: ask for a full picture
    if (this.config && this.state.kind === 'playing') this.requestKeyframe(true);
  }

  /** Control messages about video from the customer. */
  handleControl(message: ControlMessage): void {
    if (this.closed) return;
    if (message.type === 'video-config') {
      this.configure({ codec: message.codec, codedWidth: message.width, codedHeight: message.height, optimizeForLatency: true });
    } else if (message.type === 'video-stop') {
      this.stop();
    }
  }

  /** A payload from LogicalChannel.video. */
  handleVideo(bytes: Uint8Array): void {
    if (this.closed) return;
    this.meter.received(bytes.length);
    let frame: EncodedFrame;
    try {
      frame = decodeVideoFrame(bytes);
    } catch {
      this.needKeyframe = true;
      this.requestKeyframe();
      return;
    }
    if (this.checking) {
      if (frame.keyframe) this.buffered = [frame];
      else if (this.buffered.length > 0 && this.buffered.length < MAX_BUFFERED) this.buffered.push(frame);
      return;
    }
    if (this.decoder && this.config) this.decode(frame);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.closeDecoder();
    this.buffered = [];
    this.canvas = undefined;
    this.context = undefined;
  }

  private configure(config: VideoDecoderConfig): void {
    const generation = ++this.generation;
    this.failures = 0;
    this.config = undefined;
    this.checking = true;
    this.buffered = [];
    this.needKeyframe = true;
    this.configuredAt = this.now();
    this.setState({ kind: 'starting' });
    void this.decoders.isSupported(config).then(
      (supported) => this.configured(generation, config, supported),
      () => this.configured(generation, config, false),
    );
  }

  private configured(generation: number, config: VideoDecoderConfig, supported: boolean): void {
    if (this.closed || generation !== this.generation) return;
    this.checking = false;
    if (!supported) {
      this.closeDecoder();
      this.configuredAt = undefined;
      this.setState({ kind: 'unsupported', codec: config.codec });
      return;
    }
    this.config = config;
    this.openDecoder();
    const frames = this.buffered;
    this.buffered = [];
    for (const frame of frames) this.decode(frame);
    if (this.needKeyframe) this.requestKeyframe(true);
  }

  private stop(): void {
    this.generation++;
    this.checking = false;
    this.buffered = [];
    this.config = undefined;
    this.configuredAt = undefined;
    this.closeDecoder();
    this.setState({ kind: 'stopped' });
  }

  private decode(frame: EncodedFrame): void {
    const decoder = this.decoder;
    if (!decoder || decoder.state !== 'configured') return;
    if (this.needKeyframe && !frame.keyframe) {
      this.requestKeyframe();
      return;
    }
    const timestamp = this.nextTimestamp;
    this.nextTimestamp += 1000; // µs; our own counter keeps timestamps increasing whatever the sender does
    this.inDecoder.set(timestamp, { frameId: frame.frameId, captureTime: frame.captureTime });
    if (this.inDecoder.size > 64) this.inDecoder.delete(this.inDecoder.keys().next().value!);
    try {
      decoder.decode(this.decoders.chunk({ type: frame.keyframe ? 'key' : 'delta', timestamp, data: frame.data }));
      this.needKeyframe = false;
    } catch {
      this.recover();
    }
  }

  private openDecoder(): void {
    if (!this.config) return;
    if (!this.decoder || this.decoder.state === 'closed') {
      const decoder: VideoDecoder = this.decoders.create({
        output: (frame) => this.draw(decoder, frame),
        error: () => {
          if (decoder === this.decoder) this.recover();
        },
      });
      this.decoder = decoder;
    } else {
      this.decoder.reset();
    }
    this.inDecoder.clear();
    this.needKeyframe = true;
    try {
      this.decoder.configure(this.config);
    } catch {
      this.closeDecoder();
      this.setState({ kind: 'unsupported', codec: this.config.codec });
    }
  }

  /** After a decoder error: a fresh decoder, and a keyframe to start it; gives up after a few in a row. */
  private recover(): void {
    if (this.closed) return;
    this.closeDecoder();
    if (!this.config) return;
    if (++this.failures > MAX_FAILURES) {
      this.setState({ kind: 'unsupported', codec: this.config.codec });
      this.config = undefined;
      this.configuredAt = undefined;
      return;
    }
    this.openDecoder();
    this.requestKeyframe(true);
  }

  private closeDecoder(): void {
    const decoder = this.decoder;
    this.decoder = undefined;
    this.inDecoder.clear();
    this.needKeyframe = true;
    if (decoder && decoder.state !== 'closed') decoder.close();
  }

  private draw(decoder: VideoDecoder, frame: VideoFrame): void {
    const meta = this.inDecoder.get(frame.timestamp);
    this.inDecoder.delete(frame.timestamp);
    try {
      if (decoder !== this.decoder || this.closed) return;
      const size = { width: frame.displayWidth, height: frame.displayHeight };
      if (size.width !== this.frameSize.width || size.height !== this.frameSize.height) {
        this.frameSize = size;
        this.sizeCanvas(size);
        this.handlers.onFrameSize?.(size);
      }
      this.context?.drawImage(frame, 0, 0, size.width, size.height);
    } finally {
      frame.close();
    }
    if (!meta) return;
    this.failures = 0;
    this.meter.drawn(this.wallClock() - meta.captureTime);
    this.configuredAt = undefined;
    if (this.state.kind !== 'playing') this.setState({ kind: 'playing' });
    this.handlers.sendControl({ type: 'video-ack', frameId: meta.frameId });
  }

  private sizeCanvas(size: Size): void {
    if (!this.canvas) return;
    if (this.canvas.width !== size.width) this.canvas.width = size.width;
    if (this.canvas.height !== size.height) this.canvas.height = size.height;
  }

  private requestKeyframe(force = false): void {
    const t = this.now();
    if (!force && t - this.lastKeyframeRequest < KEYFRAME_REQUEST_GAP_MS) return;
    this.lastKeyframeRequest = t;
    this.handlers.sendControl({ type: 'keyframe-request' });
  }

  private tick(): void {
    this.handlers.onStats?.(this.meter.sample());
    if (this.configuredAt !== undefined && this.now() - this.configuredAt >= this.keyframeTimeoutMs) {
      this.configuredAt = this.now();
      this.requestKeyframe(true);
    }
  }

  private setState(state: ScreenState): void {
    this.state = state;
    this.handlers.onState?.(state);
  }
}
