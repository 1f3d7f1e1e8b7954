import { decodeVideoFrame } from '@fernhilfe/protocol';
import { I420Converter } from '../../../packages/agent/src/encode/i420.js';
import { decodeH264, tool } from './encoder-records.js';

/**
 * What a viewer of the agent's video has on screen: the frames as they arrive (one H.264 stream per
 * `video-config` size), decoded by the tests' own ffmpeg, and compared with the X screen itself.
 */
export class ReceivedVideo {
  private size = { width: 0, height: 0 };
  private units: Uint8Array[] = [];

  configured(width: number, height: number): void {
    this.size = { width, height };
    this.units = [];
  }

  /** a video channel frame as it arrived */
  received(bytes: Uint8Array): void {
    const f = decodeVideoFrame(bytes);
    if (f.keyframe) this.units = [];
    this.units.push(f.data);
  }

  get width(): number {
    return this.size.width;
  }

  /** the picture the viewer shows now: the last decoded frame, I420 */
  async picture(): Promise<{ width: number; height: number; i420: Buffer }> {
    const { width, height } = this.size;
    const { frames } = await decodeH264(Buffer.concat(this.units), width, height);
    const last = frames.at(-1);
    if (!last) throw new Error(`nothing decodable in ${this.units.length} frames of ${width}x${height}`);
    return { width, height, i420: last };
  }
}

/** The X screen as the agent would encode it (BGRX grabbed by the tests' ffmpeg, then the agent's own BGRX->I420). */
export async function screenI420(display: string, width: number, height: number): Promise<Buffer> {
  const bgrx = await tool('ffmpeg', ['-v', 'error', '-f', 'x11grab', '-draw_mouse', '0', '-video_size', `${width}x${height}`, '-i', display, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'bgr0', 'pipe:1'], Buffer.alloc(0));
  const i420 = new I420Converter(width, height);
  i420.update(bgrx);
  return i420.out;
}

/** PSNR of the luma plane (dB; 99 when identical) */
export function lumaPsnr(a: Buffer, b: Buffer, width: number, height: number): number {
  let sum = 0;
  for (let i = 0; i < width * height; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  const mse = sum / (width * height);
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}
