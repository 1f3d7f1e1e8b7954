/**
 * The recorder's video track from its canvas (docs/recording.md). Where the browser has
 * MediaStreamTrackGenerator (Chromium), every paint becomes a VideoFrame with its own timestamp:
 * `canvas.captureStream()` sends a frame only when Chromium sees the canvas change, and in our
 * runs on a busy machine it gave 0–2 frames for a few seconds of an unchanged screen (sometimes
 * not even the WebM header). Elsewhere captureStream(fps) it is.
 */
export interface FrameTrack {
  stream: MediaStream;
  /** after each paint of the canvas */
  frame(): void;
  stop(): void;
}

interface TrackGenerator extends MediaStreamTrack {
  readonly writable: WritableStream<VideoFrame>;
}
type TrackGeneratorClass = new (init: { kind: 'video' }) => TrackGenerator;

export function frameTrack(canvas: HTMLCanvasElement, fps: number): FrameTrack {
  const Generator = (globalThis as { MediaStreamTrackGenerator?: TrackGeneratorClass }).MediaStreamTrackGenerator;
  if (!Generator || typeof VideoFrame === 'undefined') {
    const stream = canvas.captureStream(fps);
    return { stream, frame: () => undefined, stop: () => stream.getTracks().forEach((t) => t.stop()) };
  }
  const track = new Generator({ kind: 'video' });
  const writer = track.writable.getWriter();
  const t0 = performance.now();
  let open = true;
  return {
    stream: new MediaStream([track]),
    frame: () => {
      // the encoder is behind (a busy machine): skip this frame rather than queue without bound
      if (!open || (writer.desiredSize ?? 1) <= 0) return;
      const frame = new VideoFrame(canvas, { timestamp: Math.round((performance.now() - t0) * 1000) });
      writer.write(frame).catch(() => frame.close());
    },
    stop: () => {
      open = false;
      void writer.close().catch(() => undefined);
      track.stop();
    },
  };
}
