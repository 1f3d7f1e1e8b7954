import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { parseAvcConfig, toAnnexB, type AvcConfig } from './avc.js';
import { EncodeError } from './errors.js';
import { FlvDemuxer } from './flv.js';
import type { EncodedFrame } from './types.js';

/**
 * x264 in a long-running ffmpeg child for one frame size: raw I420 frames on stdin (converted from
 * BGRX by i420.ts, only where the screen changed), one FLV tag per
 * frame on stdout. zerolatency: no lookahead, no B-frames, sliced threads, so every
 * frame written comes straight back as one access unit. `-fps_mode passthrough` keeps ffmpeg from
 * inventing frames for the gaps of an idle screen; `-flush_packets 1` writes each frame at once.
 * The first frame is IDR, no further keyframes unless asked for (a new process).
 *
 * Two tiers: 'motion' (cheap) for changes as they come, 'still' (sharp) for the
 * picture of a screen that stopped changing (see X264Encoder). Colours: BT.709 matrix, full range
 * (i420.ts), sRGB primaries and transfer, signalled in the SPS, so the viewer's decoder turns the
 * pixels back into the same RGB (an unsignalled stream is guessed at and shifts colours: 10 dB PSNR).
 *
 * Checked and left out: `-fflags nobuffer` holds the first frame back until the second arrives;
 * `-avioflags direct` lets the rawvideo demuxer read short packets from the pipe ("Invalid buffer size").
 */
export type X264Tier = 'motion' | 'still';

/**
 * motion: ultrafast, CRF 23, 4x4 intra blocks (a typed letter ~300 B instead of ~480 B) and
 * variance AQ (takes bits from flat areas and edges: a letter ~230 B, a terminal scroll a third;
 * such frames are ~49 dB instead of ~58 dB, the still picture is refined anyway).
 * still: superfast (CABAC, 8x8 transform, better motion search), CRF 14, no AQ: the IDR of a 1080p
 * terminal screen is 72 KB at 66 dB against its YUV source (ultrafast CRF 12: 99 KB, 67 dB), once
 * per pause, ~5 ms more than ultrafast; small changes after it cost less than in the motion tier.
 * The still tier runs on one thread: what it mostly encodes is a nearly unchanged screen (a clock
 * tick, a letter), where handing slices to threads costs more than it saves (measured on 1080p:
 * 6.5 instead of 8.8 ms of CPU per such frame); the motion tier keeps sliced threads for full motion.
 */
const TIERS = {
  motion: { preset: 'ultrafast', crf: '23', params: 'partitions=i4x4:aq-mode=1:8x8dct=1', threads: [] },
  still: { preset: 'superfast', crf: '14', params: 'aq-mode=0', threads: ['-threads', '1'] },
} satisfies Record<X264Tier, { preset: string; crf: string; params: string; threads: string[] }>;

/**
 * `warm`: the process is a spare. x264 sets itself up only when the first frame comes (~60-90 ms
 * for 1080p), which would delay the frame that switches to it; so a spare is given one blank frame
 * at once, its output is dropped, and frame 1 (the first real one) is forced to be an IDR.
 */
export function x264Args(width: number, height: number, tier: X264Tier = 'motion', warm = false): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
    ...['-probesize', '32', '-analyzeduration', '0'],
    ...['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${width}x${height}`, '-framerate', '30', '-i', 'pipe:0'],
    ...['-an', '-c:v', 'libx264', '-preset', TIERS[tier].preset, '-tune', 'zerolatency', '-crf', TIERS[tier].crf, ...TIERS[tier].threads],
    // one profile for both tiers: the codec string (and so the viewer's decoder) stays the same
    // across a switch; a changed string makes the console reconfigure and ask for keyframes
    ...['-profile:v', 'high'],
    ...['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'iec61966-2-1', '-color_range', 'pc'],
    // no periodic keyframes (the viewer asks for one when it needs it)
    ...['-g', '1000000', '-x264-params', `scenecut=0:${TIERS[tier].params}`],
    ...(warm ? ['-force_key_frames', 'expr:lte(n,1)'] : []),
    ...['-fps_mode', 'passthrough', '-flush_packets', '1', '-f', 'flv', '-flvflags', 'no_duration_filesize', 'pipe:1'],
  ];
}

export class X264Process {
  private readonly child: ChildProcess;
  private readonly demux = new FlvDemuxer();
  private config: AvcConfig | undefined;
  private readonly waiting: Array<{ resolve(f: EncodedFrame): void; reject(e: Error): void; writtenAt?: number }> = [];
  private stderr = '';
  private failure: Error | undefined;
  /** frames written so far; the first one comes out as a keyframe */
  written = 0;

  constructor(
    ffmpeg: string,
    readonly width: number,
    readonly height: number,
    readonly tier: X264Tier = 'motion',
    warm = false,
  ) {
    this.child = spawnProgram({ file: ffmpeg }, x264Args(width, height, tier, warm), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onOutput(chunk));
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString('utf8')).slice(-2000)));
    this.child.stdin!.on('error', () => undefined); // the exit handler reports it
    this.child.once('error', (err) => this.fail(EncodeError.failed(`ffmpeg could not start: ${err.message}`)));
    this.child.once('exit', (code, signal) => this.fail(EncodeError.failed(`ffmpeg ended (${code ?? signal})${this.stderr ? `: ${this.stderr.trim()}` : ''}`)));
    if (warm) {
      this.discard = 1;
      this.child.stdin!.write(Buffer.alloc((width * height * 3) / 2));
    }
  }

  /** access units still to drop (the warm-up frame's) */
  private discard = 0;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  /** Writes one I420 frame (width*height*3/2 bytes) and resolves with its access unit. */
  encode(data: Buffer): Promise<EncodedFrame> {
    if (this.failure) return Promise.reject(this.failure);
    if (data.length !== (this.width * this.height * 3) / 2) return Promise.reject(EncodeError.failed('frame size does not match the encoder'));
    let waiter!: (typeof this.waiting)[number];
    const out = new Promise<EncodedFrame>((resolve, reject) => this.waiting.push((waiter = { resolve, reject })));
    this.written++;
    this.child.stdin!.write(data, () => (waiter.writtenAt = performance.timeOrigin + performance.now()));
    return out;
  }

  /** SIGTERM, SIGKILL after 2 s; resolves when the process is gone. */
  close(): Promise<void> {
    this.fail(EncodeError.failed('encoder closed'));
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin!.destroy();
      child.kill('SIGTERM');
    });
  }

  private onOutput(chunk: Buffer): void {
    let packets;
    try {
      packets = this.demux.push(chunk);
    } catch (err) {
      this.fail(EncodeError.failed(err instanceof Error ? err.message : String(err)));
      void this.close();
      return;
    }
    for (const p of packets) {
      if (p.avcPacketType === 0) {
        this.config = parseAvcConfig(p.payload);
      } else if (p.avcPacketType === 1 && this.config) {
        if (this.discard > 0) {
          this.discard--;
          continue;
        }
        const waiter = this.waiting.shift();
        if (!waiter) continue;
        try {
          const data = toAnnexB(p.payload, this.config, p.keyframe);
          waiter.resolve({ keyframe: p.keyframe, codec: this.config.codec, width: this.width, height: this.height, data, writtenAt: waiter.writtenAt, refined: this.tier === 'still' });
        } catch (err) {
          waiter.reject(EncodeError.failed(err instanceof Error ? err.message : String(err)));
        }
      }
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
