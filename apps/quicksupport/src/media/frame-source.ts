import { ScreenShareError } from './errors.js';

/** Captured frames of one video track, newest first: a slow reader misses frames, it never lags. */
export interface FrameSource {
  /** the next frame, or undefined when the track has ended or the source was closed */
  read(): Promise<VideoFrame | undefined>;
  close(): void;
}

// Chromium's MediaStreamTrackProcessor (Insertable Streams) is not in TypeScript's DOM library yet.
interface TrackProcessor {
  readonly readable: ReadableStream<VideoFrame>;
}
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor;

function trackProcessorConstructor(): TrackProcessorConstructor | undefined {
  return (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
}

/** MediaStreamTrackProcessor where the browser has it (Chromium); a video element otherwise. */
export function openFrameSource(track: MediaStreamTrack, prefer: 'auto' | 'video-element' = 'auto'): FrameSource {
  const Processor = trackProcessorConstructor();
  if (Processor && prefer === 'auto') return new TrackProcessorSource(new Processor({ track, maxBufferSize: 1 }));
  if (typeof VideoFrame === 'undefined') throw ScreenShareError.unsupported('no WebCodecs VideoFrame');
  return new VideoElementSource(track);
}

class TrackProcessorSource implements FrameSource {
  private readonly reader: ReadableStreamDefaultReader<VideoFrame>;

  constructor(processor: TrackProcessor) {
    this.reader = processor.readable.getReader();
  }

  async read(): Promise<VideoFrame | undefined> {
    const { done, value } = await this.reader.read();
    return done ? undefined : value;
  }

  close(): void {
    this.reader.cancel().catch(() => undefined);
  }
}

/**
 * For browsers without MediaStreamTrackProcessor (Firefox, Safari): play the track in a detached,
 * muted video element and take a VideoFrame of it 30 times a second (a timer, because
 * requestVideoFrameCallback does not fire reliably for an element that is not on the page).
 */
class VideoElementSource implements FrameSource {
  private readonly video = document.createElement('video');
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(track: MediaStreamTrack) {
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = new MediaStream([track]);
    this.video.play().catch(() => this.close());
    track.addEventListener('ended', () => this.close());
  }

  async read(): Promise<VideoFrame | undefined> {
    while (!this.closed) {
      await this.nextPicture();
      if (this.closed) break;
      if (this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || this.video.videoWidth === 0) continue;
      return new VideoFrame(this.video, { timestamp: Math.round(performance.now() * 1000) });
    }
    return undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.video.pause();
    this.video.srcObject = null;
    this.wake?.();
  }

  private nextPicture(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      setTimeout(resolve, 1000 / 30);
    });
  }
}
