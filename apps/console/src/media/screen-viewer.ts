import { decodeVideoFrame, type ControlMessage, type VideoFrame as EncodedFrame } from '@fernhilfe/protocol';
import type { Size } from './canvas-fit';
import { FrameAcks } from './frame-acks';
import { KeyframeRequests } from './keyframe-requests';
import { LiveDecoder, type DecodedPicture } from './live-decoder';
import { QualityMeter, type QualityStats } from './quality-meter';
import { ScreenCanvas } from './screen-canvas';
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
  /** The sender's rate control (`video-rate`); undefined when the share stops. */
  onRate?(rate: VideoRate | undefined): void;
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
  /** runs a draw at the end of the current task (default queueMicrotask); tests hold draws back */
  scheduleDraw?: (draw: () => void) => void;
}

/** Frames kept while the browser checks a new configuration (from the latest keyframe on). */
const MAX_BUFFERED = 120;
/** Decoder errors in a row (without a drawn frame) before the viewer gives up. */
const MAX_FAILURES = 5;

/** What the customer's sender said about its rate control (`video-rate`), for the quality indicator. */
export type VideoRate = Omit<Extract<ControlMessage, { type: 'video-rate' }>, 'type'>;

/**
 * Shows the customer's screen: video frames from the encrypted channel -> VideoDecoder -> canvas, and
 * a `video-ack` for every frame drawn or dropped (frame-acks.ts). Decoding never falls behind: a delta
 * that would queue in the decoder is dropped, and every delta after it, until a keyframe (asked for
 * once); a keyframe while the decoder is behind resets it. Also asks for a keyframe at the start, after
 * a decoder error, and when nothing was drawn 3 s after a `video-config`. No React in here.
 */
export class ScreenViewer {
  private readonly screen: ScreenCanvas;
  private decoder: LiveDecoder | undefined;
  /** the configuration in use, once the browser said it supports it */
  private config: VideoDecoderConfig | undefined;
  private generation = 0;
  private checking = false;
  private buffered: EncodedFrame[] = [];
  private needKeyframe = true;
  /** when the latest video-config came, until a frame from it is drawn */
  private configuredAt: number | undefined;
  private state: ScreenState = { kind: 'waiting' };
  private readonly meter: QualityMeter;
  private readonly acks: FrameAcks;
  private readonly keyframes: KeyframeRequests;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly decoders: DecoderFactory;
  private readonly schedule: ((draw: () => void) => void) | undefined;
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
    this.schedule = opts.scheduleDraw;
    this.now = opts.now ?? (() => performance.now());
    this.wallClock = opts.wallClock ?? (() => performance.timeOrigin + performance.now());
    this.keyframeTimeoutMs = opts.keyframeTimeoutMs ?? 3000;
    this.meter = new QualityMeter(this.now);
    this.screen = new ScreenCanvas(handlers.onFrameSize);
    this.acks = new FrameAcks((frameId) => handlers.sendControl({ type: 'video-ack', frameId }));
    this.keyframes = new KeyframeRequests(() => handlers.sendControl({ type: 'keyframe-request' }), this.now);
    this.timer = setInterval(() => this.tick(), opts.statsIntervalMs ?? 1000);
  }

  /** The session is open: ask for a keyframe in case the customer is already sharing. */
  start(): void {
    this.keyframes.request(true);
  }

  get screenState(): ScreenState {
    return this.state;
  }

  /** Draw into this canvas from now on (null: stop drawing, frames are still acknowledged). */
  attach(canvas: HTMLCanvasElement | null): void {
    if (this.closed || !this.screen.attach(canvas) || !canvas) return;
    // a new canvas is blank and a still screen sends nothing: ask for a full picture
    if (this.config && this.state.kind === 'playing') this.keyframes.request(true);
  }

  /** Control messages about video from the customer. */
  handleControl(message: ControlMessage): void {
    if (this.closed) return;
    if (message.type === 'video-config') {
      this.configure({ codec: message.codec, codedWidth: message.width, codedHeight: message.height, optimizeForLatency: true });
    } else if (message.type === 'video-rate') {
      const { type: _, ...rate } = message;
      this.handlers.onRate?.(rate);
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
      this.keyframes.request();
      return;
    }
    if (frame.keyframe) this.keyframes.keyframeArrived();
    if (this.checking) {
      this.acks.arrived(frame.frameId);
      if (frame.keyframe) {
        this.acks.dropped(...this.buffered.map((old) => old.frameId));
        this.buffered = [frame];
      } else if (this.buffered.length > 0 && this.buffered.length < MAX_BUFFERED) this.buffered.push(frame);
      else this.acks.dropped(frame.frameId);
      return;
    }
    if (this.decoder && this.config) {
      this.acks.arrived(frame.frameId);
      this.decode(frame);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.acks.clear();
    this.closeDecoder();
    this.buffered = [];
    this.screen.attach(null);
  }

  private configure(config: VideoDecoderConfig): void {
    const generation = ++this.generation;
    this.failures = 0;
    this.config = undefined;
    this.checking = true;
    this.acks.dropped(...this.buffered.map((old) => old.frameId));
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
    const frames = this.buffered;
    this.buffered = [];
    if (!supported) {
      this.acks.dropped(...frames.map((f) => f.frameId));
      this.closeDecoder();
      this.configuredAt = undefined;
      this.setState({ kind: 'unsupported', codec: config.codec });
      return;
    }
    this.config = config;
    this.openDecoder();
    for (const frame of frames) this.decode(frame);
    if (this.needKeyframe) this.keyframes.request(true);
  }

  private stop(): void {
    this.generation++;
    this.checking = false;
    this.buffered = [];
    this.acks.clear();
    this.config = undefined;
    this.configuredAt = undefined;
    this.closeDecoder();
    this.setState({ kind: 'stopped' });
    this.handlers.onRate?.(undefined);
  }

  /** A frame that arrived (acks.arrived) goes to the decoder, or is dropped. */
  private decode(frame: EncodedFrame): void {
    const decoder = this.decoder;
    if (!decoder?.usable) {
      this.acks.dropped(frame.frameId);
      return;
    }
    if (frame.keyframe) {
      // never wait for older pictures: they would be stale by the time this one shows
      if (decoder.behind) decoder.reset();
    } else if (this.needKeyframe || decoder.behind) {
      // queueing would make the picture lag: skip to the next keyframe, the decoder puts out what it
      // holds. The request before the ack: the sender's next frame is then a keyframe.
      if (!this.needKeyframe) decoder.flush();
      this.needKeyframe = true;
      this.keyframes.request();
      this.acks.dropped(frame.frameId);
      return;
    }
    if (decoder.decode(frame)) this.needKeyframe = false;
    else this.recover();
  }

  private openDecoder(): void {
    if (!this.config) return;
    this.closeDecoder();
    try {
      const decoder: LiveDecoder = new LiveDecoder(
        this.decoders,
        this.config,
        {
          picture: (p) => this.draw(p),
          dropped: (...frameIds) => this.acks.dropped(...frameIds),
          error: () => {
            if (decoder === this.decoder) this.recover();
          },
        },
        this.schedule,
      );
      this.decoder = decoder;
    } catch {
      this.setState({ kind: 'unsupported', codec: this.config.codec });
    }
  }

  /** After a decoder error: a fresh decoder, and a keyframe to start it; gives up after a few in a row. */
  private recover(): void {
    if (this.closed) return;
    const giveUp = ++this.failures > MAX_FAILURES;
    if (this.config && !giveUp) this.keyframes.request(true); // before the acks of the frames the decoder lost
    this.closeDecoder();
    if (!this.config) return;
    if (giveUp) {
      this.setState({ kind: 'unsupported', codec: this.config.codec });
      this.config = undefined;
      this.configuredAt = undefined;
      return;
    }
    this.openDecoder();
  }

  private closeDecoder(): void {
    const decoder = this.decoder;
    this.decoder = undefined;
    this.needKeyframe = true;
    decoder?.close();
  }

  private draw({ frame, frameId, captureTime }: DecodedPicture): void {
    this.screen.paint(frame);
    this.failures = 0;
    this.meter.drawn(this.wallClock() - captureTime);
    this.configuredAt = undefined;
    if (this.state.kind !== 'playing') this.setState({ kind: 'playing' });
    this.acks.drawn(frameId);
  }

  private tick(): void {
    this.handlers.onStats?.(this.meter.sample());
    if (this.needKeyframe && this.decoder) this.keyframes.retry();
    if (this.configuredAt !== undefined && this.now() - this.configuredAt >= this.keyframeTimeoutMs) {
      this.configuredAt = this.now();
      this.keyframes.request(true);
    }
  }

  private setState(state: ScreenState): void {
    this.state = state;
    this.handlers.onState?.(state);
  }
}
