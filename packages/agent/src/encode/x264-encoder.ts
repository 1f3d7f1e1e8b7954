import { findFfmpeg } from './ffmpeg-path.js';
import type { EncodedFrame, EncoderOptions, RawFrame, ScreenEncoder } from './types.js';
import { X264Process } from './x264-process.js';

export interface X264Options extends EncoderOptions {
  /**
   * How a keyframe is made on request. The ffmpeg command line cannot be told "next frame IDR", but
   * a fresh encoder always starts with one: 'spare' keeps a second ffmpeg started and idle (blocked
   * on stdin, no CPU) and switches to it; 'restart' starts one when asked (slower by the start-up).
   */
  keyframes?: 'spare' | 'restart';
}

/** H.264 (x264 through ffmpeg); see x264-process.ts for the pipeline. */
export class X264Encoder implements ScreenEncoder {
  readonly name = 'h264';
  private readonly ffmpeg: string;
  private readonly keyframes: 'spare' | 'restart';
  private current: X264Process | undefined;
  private spare: X264Process | undefined;
  private closed = false;

  constructor(opts: X264Options = {}) {
    this.ffmpeg = findFfmpeg(process.env, opts.ffmpeg);
    this.keyframes = opts.keyframes ?? 'spare';
  }

  /** pids of the ffmpeg children, for CPU accounting */
  get pids(): number[] {
    return [this.current?.pid, this.spare?.pid].filter((p): p is number => p !== undefined);
  }

  async encode(frame: RawFrame, opts: { keyframe: boolean }): Promise<EncodedFrame> {
    if (this.closed) throw new Error('encoder closed');
    const c = this.current;
    const sameSize = c !== undefined && c.width === frame.width && c.height === frame.height;
    if (!c || !c.alive || !sameSize || (opts.keyframe && c.written > 0)) {
      void c?.close();
      this.current = this.takeSpare(frame.width, frame.height) ?? new X264Process(this.ffmpeg, frame.width, frame.height);
    }
    const out = await this.current!.encode(frame.data);
    if (this.keyframes === 'spare' && !this.spare && !this.closed) this.spare = new X264Process(this.ffmpeg, frame.width, frame.height);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [this.current, this.spare];
    this.current = this.spare = undefined;
    await Promise.all(all.map((p) => p?.close()));
  }

  private takeSpare(width: number, height: number): X264Process | undefined {
    const s = this.spare;
    this.spare = undefined;
    if (s && s.alive && s.width === width && s.height === height) return s;
    void s?.close();
    return undefined;
  }
}
