import type { EncoderOptions, ScreenEncoder } from './types.js';
import { X264Encoder } from './x264-encoder.js';

export * from './types.js';
export * from './errors.js';
export { findEncoder } from './encoder-path.js';
export { X264Encoder, type X264Options } from './x264-encoder.js';

/** Codec registry: adding a codec is one class and one line here. */
export const encoders = {
  h264: (opts: EncoderOptions) => new X264Encoder(opts),
} satisfies Record<string, (opts: EncoderOptions) => ScreenEncoder>;

export type EncoderName = keyof typeof encoders;
