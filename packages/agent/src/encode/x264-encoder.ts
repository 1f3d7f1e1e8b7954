import { EncodeError } from './errors.js';
import { findEncoder } from './encoder-path.js';
import { I420Converter } from './i420.js';
import type { EncodedFrame, EncodeOptions, EncoderOptions, RawFrame, ScreenEncoder } from './types.js';
import { X264Process, stillTier, type X264Tier } from './x264-process.js';

export interface X264Options extends EncoderOptions {
  /** sharp pictures of a still screen (default true); false: every frame in the motion tier */
  refine?: boolean;
}

/**
 * The cap in steps of 5 %: the rate control's target moves a little at almost every ack, and each
 * new cap is an x264_encoder_reconfig; 0 (none) stays 0.
 */
function capStep(kbps: number | undefined): number {
  return kbps && kbps > 0 ? Math.round(1.05 ** Math.round(Math.log(kbps) / Math.log(1.05))) : 0;
}

/** A still-tier frame bigger than this means real motion: the next frame goes back to the motion tier. */
const STILL_TIER_MAX_BYTES = 16 * 1024;

/**
 * H.264 (x264 in our fernhilfe-encoder program); see x264-process.ts for the pipeline.
 *
 * Quality follows the screen. Changes are encoded in the cheap 'motion' tier. When the frame pump
 * says the screen has stood still (encode with `refine`), the picture goes once more through a
 * 'still' tier encoder (an idle spare at a constant quantizer; 'still-capped', CRF 14 under the
 * bitrate cap, while the rate control's target is under 2 Mbit/s): an IDR frame that makes the viewer's picture sharp.
 * Small changes after it (a clock tick, a typed letter) stay in the still tier; the first big one
 * (a frame over 16 KiB: scrolling, a moved window) switches back to a motion-tier spare, whose IDR
 * starts the next motion. The tiers differ in preset, which x264 cannot change mid-stream, hence
 * two processes. A spare has opened its x264 encoder at start (the set-up is not paid by the frame
 * that switches) and then waits blocked on stdin, costing no CPU. A keyframe asked for within a
 * tier is a flag on the frame (x264 makes that frame an IDR), no new process. The rate control's
 * target (`maxKbps`) caps the bitrate of whichever tier encodes (VBV under CRF, see x264-process.ts).
 */
export class X264Encoder implements ScreenEncoder {
  readonly name = 'h264';
  readonly refines: boolean;
  private readonly encoder: string;
  private current: X264Process | undefined;
  private readonly spares: { motion?: X264Process; still?: X264Process } = {};
  private lastBytes = 0;
  private i420: I420Converter | undefined;
  private closed = false;

  constructor(opts: X264Options = {}) {
    this.encoder = findEncoder(process.env, opts.encoder);
    this.refines = opts.refine ?? true;
  }

  /** pids of the encoder children, for CPU accounting */
  get pids(): number[] {
    return [this.current?.pid, this.spares.motion?.pid, this.spares.still?.pid].filter((p): p is number => p !== undefined);
  }

  async encode(frame: RawFrame, opts: EncodeOptions): Promise<EncodedFrame> {
    if (this.closed) throw new EncodeError('encoder-closed', 'encoder closed');
    const c = this.current;
    const sameSize = c !== undefined && c.width === frame.width && c.height === frame.height;
    const cap = capStep(opts.maxKbps);
    const still = stillTier(cap);
    let tier: X264Tier | undefined;
    if (!c || !c.alive || !sameSize) tier = opts.refine && this.refines ? still : 'motion';
    else if (opts.refine && this.refines && c.tier === 'motion') tier = still;
    else if (c.tier !== 'motion' && !opts.refine && this.lastBytes > STILL_TIER_MAX_BYTES) tier = 'motion';
    if (tier) {
      void c?.close();
      this.current = this.takeSpare(tier, frame.width, frame.height) ?? new X264Process(this.encoder, frame.width, frame.height, tier);
    }
    if (this.i420?.width !== frame.width || this.i420.height !== frame.height) this.i420 = new I420Converter(frame.width, frame.height);
    this.i420.update(frame.data, false, frame.dirty);
    // only the changed rows go to the encoder, which keeps the rest; keyframes and refinements go whole
    // (so does a process's first frame: X264Process sends that whole itself)
    const rows = opts.keyframe || opts.refine ? undefined : (this.i420.changedRows ?? { first: 0, count: 0 });
    // the cap goes to whichever tier encodes (a spare gets it with its first frame): it bounds the still tier's IDR too
    const out = await this.current!.encode(this.i420.out, opts.keyframe, cap, { rows });
    // a keyframe is big by nature (the refinement's IDR is tens of KB): only a P-frame's size says the screen moves
    this.lastBytes = out.keyframe ? 0 : out.data.length;
    this.refillSpares(frame.width, frame.height, still);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [this.current, this.spares.motion, this.spares.still];
    this.current = this.spares.motion = this.spares.still = undefined;
    await Promise.all(all.map((p) => p?.close()));
  }

  /**
   * One idle spare of each kind: a motion one, and a still one of the kind the cap asks for now (a
   * spare of the other still kind is replaced only when it is taken, so a cap moving around the
   * threshold costs at most one new process per refinement).
   */
  private refillSpares(width: number, height: number, still: X264Tier): void {
    if (this.closed) return;
    this.spares.motion ??= new X264Process(this.encoder, width, height, 'motion');
    if (this.refines) this.spares.still ??= new X264Process(this.encoder, width, height, still);
  }

  private takeSpare(tier: X264Tier, width: number, height: number): X264Process | undefined {
    const kind = tier === 'motion' ? 'motion' : 'still';
    const s = this.spares[kind];
    this.spares[kind] = undefined;
    if (s && s.alive && s.tier === tier && s.width === width && s.height === height) return s;
    void s?.close();
    return undefined;
  }
}
