import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { EncodeError } from './errors.js';
import { codecString } from './h264.js';
import type { RowBand } from './i420.js';
import type { EncodedFrame } from './types.js';

/**
 * x264 in a long-running fernhilfe-encoder child (packages/agent/native/encoder, our C program
 * linked against libx264) for one frame size and one tier. Protocol, one frame at a time:
 *   stdin:  u32le flags (bit 0: make this frame an IDR; bit 1 RATE: u32le maxKbps follows, the VBV
 *           cap from this frame on, 0 none; bit 2 ROWS: u32le firstRow, u32le rowCount follow; bit 3
 *           COLS, only with ROWS: u32le firstCol, u32le colCount follow) |
 *           width*height*3/2 bytes of I420, or with ROWS only that band of rows of Y, U and V, with
 *           COLS only those columns of them (the encoder keeps the rest of its picture; see rowsInput)
 *           (converted from BGRX by i420.ts, only where the screen changed)
 *   stdout: u32le length | u32le flags (bit 0: keyframe) | one access unit, Annex B
 *           (SPS and PPS in front of every keyframe)
 * zerolatency, no lookahead, no B-frames, sliced threads: every frame written comes straight back.
 * The first frame is an IDR; further keyframes only when asked for (the flag), none periodic.
 *
 * Two tiers: 'motion' (cheap) for changes as they come, 'still' (sharp) for the picture of a screen
 * that stopped changing (see X264Encoder); 'still-capped' is the still tier under a narrow bitrate cap. Colours: BT.709 matrix, full range (i420.ts), sRGB
 * primaries and transfer, signalled in the SPS (fixed in the C program), so the viewer's decoder
 * turns the pixels back into the same RGB (an unsignalled stream is guessed at: 10 dB PSNR less).
 */
export type X264Tier = 'motion' | 'still' | 'still-capped';

/**
 * The still tier searches motion with UMH over ±32 pixels: a scrolling terminal moves its text by one
 * line (13-20 pixels), which superfast's hexagon search over ±16 does not find, so every scroll was
 * coded as new text. Measured on a 1280x720 terminal scrolled by 17 pixels: 17.7 KB -> 9.9 KB, under
 * STILL_TIER_MAX_BYTES, so a scroll no longer ends the still tier with an IDR. Only macroblocks that
 * changed are searched (mb_info). The motion tier would gain even more (15.3 KB at 40.3 dB -> 1.0 KB
 * at 42.7 dB) but keeps its diamond search: with UMH, in tests/agent/screen-rate.test.ts (random
 * blocks, full motion) the target took 31-32 s instead of 3-5 s to settle under a narrowed link and
 * did not rise within 60 s once it opened again (twice, on a busy machine; without it it passed at
 * once): most likely UMH's CPU cost on every changed block of full motion. Not measured further.
 */
const SCROLL_SEARCH = 'me=umh:merange=32';

/**
 * motion: ultrafast, CRF 23, 4x4 intra blocks (a typed letter ~300 B instead of ~480 B) and
 * variance AQ (takes bits from flat areas and edges: a letter ~230 B, a terminal scroll a third;
 * such frames are ~49 dB instead of ~58 dB, the still picture is refined anyway); 8x8dct keeps
 * the profile High in both tiers, so the codec string (and the viewer's decoder) stays the same
 * across a switch.
 * still: superfast (CABAC, 8x8 transform, better motion search), no AQ, at a constant quantizer
 * (qp 17: the IDR at ~14 by x264's I/P ratio, the size and PSNR CRF 14 gave): the IDR of a 1080p
 * terminal screen is ~72 KB at ~66 dB against its YUV source, once per pause. Constant, because
 * x264 skips an unchanged macroblock (mb_info) only when its reference was coded at least as fine
 * as the current frame: under CRF the quantizer wandered (a tiny P-frame gets a finer one than the
 * IDR; a VBV cap makes the IDR coarser), and every clock tick or letter after a refinement re-coded
 * unchanged text (~1-12 KB instead of a few hundred bytes). Without rate control x264 also skips its
 * look-ahead analysis of each whole frame (half-size copy and its costs; weightp=0 likewise),
 * ~2 ms of a clock tick's ~8. subme=0 (whole-pixel motion only): screen content moves by whole
 * pixels, and x264 then skips the half-pel filter over the whole reference (6.8 -> 4.7 ms of a
 * tick). It runs on one thread: what it mostly encodes is a nearly unchanged screen, where handing
 * slices to threads costs more than it saves; the motion tier keeps sliced threads (0 = x264's
 * automatic count) for full motion.
 * still-capped: the same under CRF 14 with a steady quantizer (qcomp=1) and the VBV cap (RATE),
 * taken instead of 'still' while the rate control's target is under STILL_CAPPED_BELOW_KBPS, where
 * an uncapped sharp IDR would hold the link for more than about half a second.
 */
const STILL = `aq-mode=0:subme=0:${SCROLL_SEARCH}`;
const TIERS = {
  motion: { preset: 'ultrafast', crf: '23', params: 'partitions=i4x4:aq-mode=1:8x8dct=1', threads: 0 },
  still: { preset: 'superfast', crf: '14', params: `${STILL}:qp=17:weightp=0`, threads: 1 },
  'still-capped': { preset: 'superfast', crf: '14', params: `${STILL}:qcomp=1`, threads: 1 },
} satisfies Record<X264Tier, { preset: string; crf: string; params: string; threads: number }>;

/** under this rate-control target (kbps) the still tier keeps the bitrate cap ('still-capped') */
export const STILL_CAPPED_BELOW_KBPS = 2000;

/** the still tier for a bitrate cap (kbps, 0 none) */
export const stillTier = (maxKbps: number): X264Tier => (maxKbps > 0 && maxKbps < STILL_CAPPED_BELOW_KBPS ? 'still-capped' : 'still');

export function encoderArgs(width: number, height: number, tier: X264Tier = 'motion'): string[] {
  const t = TIERS[tier];
  return ['--width', String(width), '--height', String(height), '--preset', t.preset, '--crf', t.crf, '--threads', String(t.threads), '--params', t.params];
}

const FORCE_IDR = 1;
const RATE = 2;
const ROWS = 4;
const COLS = 8;
const KEYFRAME = 1;
const RECORD_HEAD = 8;

export class X264Process {
  private readonly child: ChildProcess;
  private pending: Buffer = Buffer.alloc(0);
  private codec: string | undefined;
  private readonly waiting: Array<{ resolve(f: EncodedFrame): void; reject(e: Error): void; writtenAt?: number }> = [];
  private stderr = '';
  private failure: Error | undefined;
  /** frames written so far; the first one comes out as a keyframe */
  written = 0;
  /** the bitrate cap the encoder has (kbps; 0: none, pure CRF) */
  maxKbps = 0;
  /** bytes written into the encoder's input so far (headers and pictures) */
  inputBytes = 0;

  constructor(
    encoder: string,
    readonly width: number,
    readonly height: number,
    readonly tier: X264Tier = 'motion',
  ) {
    this.child = spawnProgram({ file: encoder }, encoderArgs(width, height, tier), { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onOutput(chunk));
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString('utf8')).slice(-2000)));
    this.child.stdin!.on('error', () => undefined); // the exit handler reports it
    this.child.once('error', (err) => this.fail(EncodeError.failed(`the encoder could not start: ${err.message}`)));
    this.child.once('exit', (code, signal) => this.fail(EncodeError.failed(`the encoder ended (${code ?? signal})${this.stderr ? `: ${this.stderr.trim()}` : ''}`)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  /**
   * Writes one I420 frame (width*height*3/2 bytes) and resolves with its access unit; `keyframe`
   * forces an IDR; `maxKbps` (when it differs from the encoder's) caps the bitrate from this frame on.
   * `rows`: only this band changed since the frame written before, so only it goes through the pipe
   * (ignored for the first frame, which the encoder must get whole).
   */
  encode(data: Buffer, keyframe = false, maxKbps = this.maxKbps, opts: { rows?: RowBand } = {}): Promise<EncodedFrame> {
    if (this.failure) return Promise.reject(this.failure);
    if (data.length !== (this.width * this.height * 3) / 2) return Promise.reject(EncodeError.failed('frame size does not match the encoder'));
    let waiter!: (typeof this.waiting)[number];
    const out = new Promise<EncodedFrame>((resolve, reject) => this.waiting.push((waiter = { resolve, reject })));
    let flags = keyframe ? FORCE_IDR : 0;
    const fields: Buffer[] = [];
    const kbps = Math.max(0, Math.round(maxKbps));
    if (kbps !== this.maxKbps) {
      flags |= RATE;
      const field = Buffer.alloc(4);
      field.writeUInt32LE((this.maxKbps = kbps));
      fields.push(field);
    }
    let picture = [data];
    const rows = this.written > 0 && opts.rows ? rowsInput(data, this.width, this.height, opts.rows) : undefined;
    if (rows) {
      flags |= ROWS | (rows.cols ? COLS : 0);
      fields.push(rows.field);
      if (rows.cols) fields.push(rows.cols);
      picture = rows.planes;
    }
    this.written++;
    const head = Buffer.alloc(4);
    head.writeUInt32LE(flags);
    const stdin = this.child.stdin!;
    stdin.cork();
    for (const part of [head, ...fields, ...picture]) this.inputBytes += part.length;
    for (const part of [head, ...fields, ...picture.slice(0, -1)]) stdin.write(part);
    stdin.write(picture.at(-1)!, () => (waiter.writtenAt = performance.timeOrigin + performance.now()));
    stdin.uncork();
    return out;
  }

  /** Ends the input (the encoder exits at a frame boundary), SIGKILL after 2 s; resolves when the process is gone. */
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
      child.stdin!.end();
      child.kill('SIGTERM');
    });
  }

  private onOutput(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= RECORD_HEAD) {
      const length = this.pending.readUInt32LE(0);
      if (this.pending.length < RECORD_HEAD + length) break;
      const keyframe = (this.pending.readUInt32LE(4) & KEYFRAME) !== 0;
      const data = new Uint8Array(this.pending.subarray(RECORD_HEAD, RECORD_HEAD + length));
      this.pending = this.pending.subarray(RECORD_HEAD + length);
      this.codec ??= codecString(data);
      const waiter = this.waiting.shift();
      if (!waiter) continue;
      if (!this.codec) {
        waiter.reject(EncodeError.failed('the encoder sent a frame before any sequence parameter set'));
        continue;
      }
      waiter.resolve({ keyframe, codec: this.codec, width: this.width, height: this.height, data, writtenAt: waiter.writtenAt, refined: this.tier !== 'motion' });
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/**
 * The ROWS field (u32le firstRow, u32le rowCount) and the parts of an I420 picture in that band: its
 * Y rows, then the matching half as many rows of U and of V. Undefined when the band is the whole
 * picture (written whole then) or not a valid band (even, inside the picture). When the band names
 * columns (`col`, `cols`: even, inside the picture, not all of them), `cols` is the COLS field
 * (u32le firstCol, u32le colCount) and the parts hold only those columns of each row: a clock tick
 * in a corner of a 1080p screen is ~50 KB through the pipe instead of ~0.5 MB.
 */
export function rowsInput(i420: Buffer, width: number, height: number, band: RowBand): { field: Buffer; cols?: Buffer; planes: Buffer[] } | undefined {
  const { first, count } = band;
  if (first % 2 !== 0 || count % 2 !== 0 || first < 0 || count < 0 || first + count > height || count === height) return undefined;
  const field = Buffer.alloc(8);
  field.writeUInt32LE(first, 0);
  field.writeUInt32LE(count, 4);
  const luma = width * height;
  const cw = width / 2;
  const col = band.col ?? 0;
  const cols = band.cols ?? width;
  if (col % 2 === 0 && cols % 2 === 0 && col >= 0 && cols > 0 && col + cols <= width && cols < width) {
    const colsField = Buffer.alloc(8);
    colsField.writeUInt32LE(col, 0);
    colsField.writeUInt32LE(cols, 4);
    const out = Buffer.allocUnsafe((count * cols * 3) / 2);
    let at = 0;
    for (let r = first; r < first + count; r++) at += i420.copy(out, at, r * width + col, r * width + col + cols);
    for (const base of [luma, luma + luma / 4]) {
      for (let r = first / 2; r < (first + count) / 2; r++) at += i420.copy(out, at, base + r * cw + col / 2, base + r * cw + (col + cols) / 2);
    }
    return { field, cols: colsField, planes: [out] };
  }
  const y = i420.subarray(first * width, (first + count) * width);
  const u = i420.subarray(luma + (first / 2) * cw, luma + ((first + count) / 2) * cw);
  const v = i420.subarray(luma + luma / 4 + (first / 2) * cw, luma + luma / 4 + ((first + count) / 2) * cw);
  return { field, planes: [y, u, v] };
}
