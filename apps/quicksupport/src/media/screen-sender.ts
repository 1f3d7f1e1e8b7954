import { VIDEO_HEADER, VideoFlow, encodeVideoFrame, type ControlMessage } from '@fernhilfe/protocol';
import { CaptureTimes } from './capture-times.js';
import { Emitter, InvariantError } from '@fernhilfe/protocol';
import { chooseCodec, encodeSize, encoderConfig } from './encoder-config.js';
import { ScreenShareError, toScreenShareError } from './errors.js';
import { openFrameSource, type FrameSource } from './frame-source.js';

/** Largest payload the encrypted channel carries (protocol §4.2). */
const MAX_PAYLOAD = 1024 * 1024;
const KEYFRAME_INTERVAL_MS = 10_000;
/** codec strings the `video-config` schema accepts */
const CODEC_STRING = /^(avc1\.[0-9A-Fa-f]{6}|vp8|vp09\.[0-9.]+|av01\.[0-9A-Za-z.]+)$/;

export interface ScreenSenderOptions {
  /** sends a control message in the encrypted session (video-config, video-stop) */
  sendControl(message: ControlMessage): Promise<void>;
  /** sends one encoded frame on LogicalChannel.video */
  sendVideo(bytes: Uint8Array): Promise<void>;
  /** asks the person what to share; the browser's own picker by default */
  capture?: () => Promise<MediaStream>;
  /** 'video-element' forces the fallback frame source (for checking it in Chromium) */
  frameSource?: 'auto' | 'video-element';
  flow?: VideoFlow;
}

export type StopReason = 'stopped' | 'track-ended' | 'session-ended' | 'error';

export interface ScreenSenderEvents extends Record<string, unknown> {
  started: { codec: string; width: number; height: number };
  /** video-config was sent: the viewer now decodes `codec` at this size */
  configured: { codec: string; width: number; height: number };
  stopped: { reason: StopReason; error?: ScreenShareError };
}

/** The browser's screen picker, asking for 1080p at 30 fps (default constraints would give 720p). */
export function captureDisplay(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getDisplayMedia) return Promise.reject(ScreenShareError.unsupported('no getDisplayMedia'));
  return navigator.mediaDevices.getDisplayMedia({
    video: { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 30 } },
    audio: false,
  });
}

/**
 * Shares the screen into a session: getDisplayMedia -> frames -> VideoEncoder -> encoded frames
 * on the video channel, with VideoFlow deciding which captures are encoded. Used once: start(),
 * then stop() (or the track ends, or the encoder fails). Incoming video-ack / keyframe-request go
 * to handleControl().
 *
 *   idle --start()--> starting --(capture + encoder ready)--> running --> stopped
 *                        \----------------(denied, unsupported, stop())-------/
 */
export class ScreenSender extends Emitter<ScreenSenderEvents> {
  private state: 'idle' | 'starting' | 'running' | 'stopped' = 'idle';
  private readonly flow: VideoFlow;
  private readonly captureTimes = new CaptureTimes();
  private stream: MediaStream | undefined;
  private source: FrameSource | undefined;
  private encoder: VideoEncoder | undefined;
  private codec: Pick<VideoEncoderConfig, 'codec' | 'avc'> = { codec: 'vp8' };
  private size = { width: 0, height: 0 };
  private announced = '';
  private lastKeyframeAt = 0;

  constructor(private readonly opts: ScreenSenderOptions) {
    super();
    this.flow = opts.flow ?? new VideoFlow();
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** frames sent / dropped / acknowledged so far */
  get stats(): { sent: number; dropped: number; acked: number } {
    return { sent: this.flow.sentFrames, dropped: this.flow.droppedFrames, acked: this.flow.ackedFrames };
  }

  /** Asks what to share and starts sending. Rejects with a ScreenShareError when it cannot start. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new InvariantError(`ScreenSender.start() in state ${this.state}`);
    this.state = 'starting';
    try {
      this.stream = await (this.opts.capture ?? captureDisplay)();
      const track = this.stream.getVideoTracks()[0];
      if (!track) throw new ScreenShareError('failed', 'the capture has no video track');
      if (this.state !== 'starting') return this.release(); // stopped while the picker was open
      track.addEventListener('ended', () => this.finish('track-ended'));
      const settings = track.getSettings();
      this.size = encodeSize(settings.width ?? 1920, settings.height ?? 1080);
      this.codec = await chooseCodec(this.size.width, this.size.height);
      if (this.state !== 'starting') return this.release();
      this.encoder = new VideoEncoder({
        output: (chunk, meta) => this.onChunk(chunk, meta),
        error: (err) => this.finish('error', toScreenShareError(err)),
      });
      this.encoder.configure(encoderConfig(this.codec, this.size.width, this.size.height));
      this.source = openFrameSource(track, this.opts.frameSource);
    } catch (err) {
      this.state = 'stopped';
      this.release();
      throw toScreenShareError(err);
    }
    this.state = 'running';
    this.emit('started', { codec: this.codec.codec, ...this.size });
    void this.pump();
  }

  /** Stops sharing. The viewer is told (video-stop) unless the session itself is over. */
  stop(reason: 'stopped' | 'session-ended' = 'stopped'): void {
    this.finish(reason);
  }

  /** Control messages from the viewer that concern the video. */
  handleControl(message: ControlMessage): void {
    if (message.type === 'video-ack') this.flow.acked(message.frameId);
    else if (message.type === 'keyframe-request') this.flow.requestKeyframe();
  }

  private async pump(): Promise<void> {
    const source = this.source!;
    while (this.state === 'running') {
      let frame: VideoFrame | undefined;
      try {
        frame = await source.read();
      } catch (err) {
        return this.finish('error', toScreenShareError(err));
      }
      if (!frame) return this.finish('track-ended');
      if (this.state !== 'running') return frame.close();
      try {
        this.encode(frame);
      } catch (err) {
        return this.finish('error', toScreenShareError(err));
      } finally {
        frame.close();
      }
    }
  }

  /** One captured frame: resize the encoder if needed, drop it if the window is full, else encode. */
  private encode(frame: VideoFrame): void {
    const encoder = this.encoder!;
    const size = encodeSize(frame.displayWidth, frame.displayHeight);
    if (size.width !== this.size.width || size.height !== this.size.height) {
      this.size = size;
      encoder.configure(encoderConfig(this.codec, size.width, size.height));
      this.flow.requestKeyframe();
    }
    // the viewer is behind, or the encoder is: a stale frame is worth nothing, drop it
    if (!this.flow.admit() || encoder.encodeQueueSize > 1) return;
    const now = Date.now();
    this.captureTimes.set(frame.timestamp, now);
    const keyFrame = this.flow.takeKeyframe() || now - this.lastKeyframeAt >= KEYFRAME_INTERVAL_MS;
    if (keyFrame) this.lastKeyframeAt = now;
    encoder.encode(frame, { keyFrame });
  }

  private onChunk(chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined): void {
    if (this.state !== 'running') return;
    const captureTime = this.captureTimes.take(chunk.timestamp) ?? Date.now();
    this.announce(meta?.decoderConfig);
    if (chunk.type === 'key') this.lastKeyframeAt = Math.max(this.lastKeyframeAt, captureTime);
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    if (VIDEO_HEADER + data.length > MAX_PAYLOAD) {
      // too big for one frame on the channel (should not happen at 4 Mbit/s): skip, restart with a keyframe
      this.flow.requestKeyframe();
      return;
    }
    const frameId = this.flow.sent(data.length);
    this.opts.sendVideo(encodeVideoFrame({ keyframe: chunk.type === 'key', frameId, captureTime, data })).catch((err: unknown) => {
      if (this.state === 'running') this.finish('error', toScreenShareError(err));
    });
  }

  /** Sends video-config before the first frame and before the first frame of every new size. */
  private announce(decoderConfig: VideoDecoderConfig | undefined): void {
    const codec = decoderConfig?.codec && CODEC_STRING.test(decoderConfig.codec) ? decoderConfig.codec : this.codec.codec;
    const width = decoderConfig?.codedWidth ?? this.size.width;
    const height = decoderConfig?.codedHeight ?? this.size.height;
    const key = `${codec} ${width}x${height}`;
    if (key === this.announced) return;
    this.announced = key;
    this.opts.sendControl({ type: 'video-config', codec, width, height }).catch(() => undefined);
    this.emit('configured', { codec, width, height });
  }

  private finish(reason: StopReason, error?: ScreenShareError): void {
    if (this.state === 'stopped' || this.state === 'idle') return;
    const wasSending = this.announced !== '';
    this.state = 'stopped';
    this.release();
    if (wasSending && reason !== 'session-ended') this.opts.sendControl({ type: 'video-stop' }).catch(() => undefined);
    this.emit('stopped', error ? { reason, error } : { reason });
  }

  private release(): void {
    this.source?.close();
    this.source = undefined;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    this.encoder = undefined;
    this.captureTimes.clear();
  }
}
