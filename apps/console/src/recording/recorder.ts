import { RecordingSealer, decodeRecordingKey } from '@fernhilfe/protocol';

/** One running recording: stop() saves it and answers with what the server stored. */
export interface RecordingSink {
  stop(by: 'technician' | 'customer' | 'session-end'): Promise<{ size: number; sha256: string }>;
}

/** The upload (recording-upload.ts): start, chunk by index, finish. */
export interface RecordingUpload {
  start(): Promise<string>;
  chunk(id: string, index: number, bytes: Uint8Array): Promise<void>;
  finish(id: string, chunks: number, stoppedBy: 'technician' | 'customer' | 'session-end'): Promise<{ size: number; sha256: string }>;
}

export interface RecordedView {
  /** the decoded video */
  video(): HTMLCanvasElement | null;
  /** the pointer overlay (native agent), drawn at its place on the video; null when hidden */
  pointer(): { image: CanvasImageSource; x: number; y: number; width: number; height: number } | null;
}

const FPS = 10;
const SLICE_MS = 1000;

/** VP9 or VP8 in WebM, whichever this browser's MediaRecorder has. */
export function recordingMimeType(): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
}

/**
 * Records what the console shows (the decoded video plus the pointer) into a canvas of its own,
 * `captureStream()` + MediaRecorder as WebM, encrypts every piece in the browser to the operator's
 * public key (RecordingSealer, docs/recording.md) and uploads the ciphertext chunk by chunk. The
 * server never sees a key or a plaintext byte.
 */
export async function startRecorder(view: RecordedView, publicKey: string, upload: RecordingUpload): Promise<RecordingSink> {
  const mimeType = recordingMimeType();
  if (!mimeType) throw new TypeError('MediaRecorder with WebM is not available in this browser');
  const sealer = await RecordingSealer.create(decodeRecordingKey(publicKey));
  const id = await upload.start();
  const canvas = document.createElement('canvas');
  const source = view.video();
  canvas.width = source?.width || 1280;
  canvas.height = source?.height || 720;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new TypeError('no 2D canvas for the recording');
  const paint = () => {
    const video = view.video();
    if (video && video.width > 0) {
      if (video.width !== canvas.width || video.height !== canvas.height) ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      else ctx.drawImage(video, 0, 0);
    }
    const p = view.pointer();
    if (p) ctx.drawImage(p.image, p.x, p.y, p.width, p.height);
  };
  paint();
  const timer = setInterval(paint, 1000 / FPS);
  const stream = canvas.captureStream(FPS);
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_000_000 });
  let index = 0;
  // one upload after the other, in order: chunk i is sealed with counter i
  let tail: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  const queue = (make: () => Promise<Uint8Array>) => {
    tail = tail.then(async () => {
      const bytes = await make();
      if (bytes.length === 0) return;
      const i = index++;
      await withRetry(() => upload.chunk(id, i, bytes));
    });
    tail = tail.catch((err: unknown) => {
      failure ??= err;
    });
  };
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) queue(async () => sealer.push(new Uint8Array(await event.data.arrayBuffer())));
  };
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
  recorder.start(SLICE_MS);
  return {
    stop: async (by) => {
      clearInterval(timer);
      if (recorder.state !== 'inactive') recorder.stop();
      await stopped;
      for (const track of stream.getTracks()) track.stop();
      queue(() => sealer.finish());
      await tail;
      if (failure) throw failure;
      return upload.finish(id, index, by);
    },
  };
}

async function withRetry(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }
}
