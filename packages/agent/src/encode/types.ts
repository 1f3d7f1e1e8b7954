/** One encoded frame, ready for the video channel. */
export interface EncodedFrame {
  keyframe: boolean;
  /** the WebCodecs codec string for `video-config` */
  codec: string;
  width: number;
  height: number;
  /** one access unit, H.264 Annex B */
  data: Uint8Array;
  /** wall clock (performance.timeOrigin + now) when the raw frame was fully handed over, if known */
  writtenAt?: number;
  /** a high-quality picture of a still screen (see ScreenEncoder.refines) */
  refined?: boolean;
}

/** A raw frame: rows of `width` BGRX pixels (what X11 capture gives). */
export interface RawFrame {
  width: number;
  height: number;
  data: Buffer;
  /**
   * Optional hint from the capture: the rectangles (frame pixels) that may have changed since the
   * previous frame; only their rows are compared and converted. Undefined: look at every row.
   */
  dirty?: ReadonlyArray<{ x: number; y: number; width: number; height: number }>;
}

export interface EncodeOptions {
  keyframe: boolean;
  /** a sharp picture of the unchanged screen (see ScreenEncoder.refines) */
  refine?: boolean;
  /** the rate control's target: the encoder caps its bitrate there (kbps; undefined or 0: no cap) */
  maxKbps?: number;
}

/**
 * A video encoder the screen feature drives one frame at a time: encode() resolves with that frame's
 * access unit before the next is given. One class per codec, chosen from `encoders` by name.
 */
export interface ScreenEncoder {
  readonly name: string;
  /**
   * true when encode(…, { refine: true }) makes a sharper picture of an unchanged screen: the
   * frame pump asks for one once the screen has been still for a moment after coarse motion frames
   */
  readonly refines: boolean;
  /**
   * Reads `frame.data` before it first yields (the frame pump grabs the next picture into the same
   * buffer while this one encodes); called again only after the promise settled.
   */
  encode(frame: RawFrame, opts: EncodeOptions): Promise<EncodedFrame>;
  /** ends child processes; never throws */
  close(): Promise<void>;
}

export interface EncoderOptions {
  /** the fernhilfe-encoder program; default: see findEncoder (encoder-path.ts) */
  encoder?: string;
}
