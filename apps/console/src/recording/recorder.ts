import { RecordingSealer, decodeRecordingKey } from '@fernhilfe/protocol';
import { frameTrack } from './frame-track';

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
/** The recording's largest size: a 1920x1080 screen is scaled down to 1280x720 (docs/recording.md). */
const MAX_WIDTH = 1280;
const MAX_HEIGHT = 720;

/**
 * VP8 in WebM, else VP9, else what WebM this browser's MediaRecorder has. VP8 first: Chromium
 * encodes it in software several times faster than VP9, and on a busy 2-core machine its VP9 encoder
 * at 1920x1080 delivered its first frames seconds late, so a short recording stopped with no frame in it.
 */
export function recordingMimeType(): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
}

/** The source's size scaled (down only) to fit MAX_WIDTH x MAX_HEIGHT, even numbers for the encoder. */
export function recordingSize(width: number, height: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) return { width: MAX_WIDTH, height: MAX_HEIGHT };
  const scale = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  const even = (n: number) => Math.max(2, 2 * Math.round((n * scale) / 2));
  return { width: even(width), height: even(height) };
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
  Object.assign(canvas, recordingSize(source?.width ?? 0, source?.height ?? 0));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new TypeError('no 2D canvas for the recording');
  const paint = () => {
    const video = view.video();
    if (!video || video.width === 0) return;
    if (video.width !== canvas.width || video.height !== canvas.height) ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    else ctx.drawImage(video, 0, 0);
    // the pointer is placed in video pixels: scaled like the video
    const p = view.pointer();
    const k = canvas.width / video.width;
    if (p) ctx.drawImage(p.image, p.x * k, p.y * k, p.width * k, p.height * k);
    track.frame();
  };
  const track = frameTrack(canvas, FPS);
  paint();
  const timer = setInterval(paint, 1000 / FPS);
  const recorder = new MediaRecorder(track.stream, { mimeType, videoBitsPerSecond: 2_000_000 });
  let index = 0;
  let recorded = 0;
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
    if (event.data.size === 0) return;
    recorded += event.data.size;
    queue(async () => sealer.push(new Uint8Array(await event.data.arrayBuffer())));
  };
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
  recorder.start(SLICE_MS);
  return {
    stop: async (by) => {
      clearInterval(timer);
      await drain(recorder, () => recorded > 0);
      if (recorder.state !== 'inactive') recorder.stop();
      await stopped;
      track.stop();
      queue(() => sealer.finish());
      await tail;
      if (failure) throw failure;
      // the encoder gave nothing (stopped before its first frame): no empty file is saved as a recording
      if (recorded === 0) throw new RangeError('the browser recorded no video');
      return upload.finish(id, index, by);
    },
  };
}

const DRAIN_MS = 8_000;
const DRAIN_QUIET_MS = 300;
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Before MediaRecorder.stop(): the canvas no longer changes, so once the encoder has caught up,
 * requestData() gives nothing twice in a row. On a busy machine Chromium's encoder runs seconds
 * behind, and stop() drops the frames it has not muxed yet: without this, a short recording could
 * end with no frame at all. Gives up after DRAIN_MS (then stop() saves what there is).
 */
async function drain(recorder: MediaRecorder, hasData: () => boolean): Promise<void> {
  const until = Date.now() + DRAIN_MS;
  let quiet = 0;
  while (recorder.state === 'recording' && Date.now() < until && quiet < 2) {
    const size = await new Promise<number>((resolve) => {
      const timeout = setTimeout(() => resolve(-1), 1000);
      recorder.addEventListener(
        'dataavailable',
        (e) => {
          clearTimeout(timeout);
          resolve(e.data.size);
        },
        { once: true },
      );
      recorder.requestData();
    });
    quiet = size === 0 && hasData() ? quiet + 1 : 0;
    await pause(DRAIN_QUIET_MS);
  }
}

async function withRetry(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3) throw err;
      await pause(500 * 2 ** attempt);
    }
  }
}
