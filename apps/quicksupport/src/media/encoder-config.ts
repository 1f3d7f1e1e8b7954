import { ScreenShareError } from './errors.js';

/** Codecs to try, best first: H.264 High, H.264 Constrained Baseline (both Annex B), then VP8. */
export const codecCandidates: readonly Pick<VideoEncoderConfig, 'codec' | 'avc'>[] = [
  { codec: 'avc1.640028', avc: { format: 'annexb' } },
  { codec: 'avc1.42E028', avc: { format: 'annexb' } },
  { codec: 'vp8' },
];

export const VIDEO_BITRATE = 4_000_000;
export const VIDEO_FRAMERATE = 30;

/** H.264 level 4.0 (the `28` above) allows 8192 macroblocks per frame: 1920x1080 fits, 2560x1440 does not. */
const MAX_MACROBLOCKS = 8192;

/** The full encoder configuration for one codec at one size. */
export function encoderConfig(codec: Pick<VideoEncoderConfig, 'codec' | 'avc'>, width: number, height: number): VideoEncoderConfig {
  return {
    ...codec,
    width,
    height,
    bitrate: VIDEO_BITRATE,
    framerate: VIDEO_FRAMERATE,
    latencyMode: 'realtime',
    hardwareAcceleration: 'no-preference',
  };
}

/** The first candidate the browser can encode at this size; throws `unsupported` when none. */
export async function chooseCodec(width: number, height: number): Promise<Pick<VideoEncoderConfig, 'codec' | 'avc'>> {
  if (typeof VideoEncoder === 'undefined') throw ScreenShareError.unsupported('no WebCodecs VideoEncoder');
  for (const candidate of codecCandidates) {
    try {
      const { supported } = await VideoEncoder.isConfigSupported(encoderConfig(candidate, width, height));
      if (supported) return candidate;
    } catch {
      // a config the browser cannot even parse counts as unsupported
    }
  }
  throw ScreenShareError.unsupported(`no encoder for ${width}x${height}`);
}

/**
 * The size to encode a captured frame at: even numbers (H.264 4:2:0 needs them), scaled down
 * keeping the aspect ratio when the frame is larger than the level allows. The encoder scales
 * frames of another size to the configured one (WebCodecs requires it to).
 */
export function encodeSize(frameWidth: number, frameHeight: number): { width: number; height: number } {
  let width = Math.max(2, frameWidth);
  let height = Math.max(2, frameHeight);
  const macroblocks = (w: number, h: number) => Math.ceil(w / 16) * Math.ceil(h / 16);
  if (macroblocks(width, height) > MAX_MACROBLOCKS) {
    const scale = Math.sqrt((MAX_MACROBLOCKS * 256) / (width * height));
    width = Math.floor(width * scale);
    height = Math.floor(height * scale);
    while (macroblocks(width, height) > MAX_MACROBLOCKS) {
      width -= 16;
      height = Math.floor((width * frameHeight) / frameWidth);
    }
  }
  return { width: width & ~1, height: height & ~1 };
}
