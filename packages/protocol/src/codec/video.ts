import { ProtocolError } from '../errors.js';

/**
 * One encoded video frame on LogicalChannel.video (inside the encrypted channel):
 *
 *   u8 flags (bit 0: keyframe) | u32 frame id (+1 per encoded frame) | f64 capture time (ms, sender's
 *   epoch clock) | encoded chunk (H.264 Annex B, or VP8)
 *
 * The decoder configuration travels as the control message `video-config`. The viewer acknowledges
 * every frame it has drawn (`video-ack`); the sender keeps only a few frames in flight and drops new
 * captures rather than queueing them (see ../video/flow.ts).
 */
export interface VideoFrame {
  keyframe: boolean;
  frameId: number;
  captureTime: number;
  data: Uint8Array;
}

export const VIDEO_HEADER = 13;

export function encodeVideoFrame(f: VideoFrame): Uint8Array {
  const out = new Uint8Array(VIDEO_HEADER + f.data.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, f.keyframe ? 1 : 0);
  view.setUint32(1, f.frameId >>> 0);
  view.setFloat64(5, f.captureTime);
  out.set(f.data, VIDEO_HEADER);
  return out;
}

export function decodeVideoFrame(bytes: Uint8Array): VideoFrame {
  if (bytes.length < VIDEO_HEADER + 1) throw ProtocolError.malformed('video frame too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint8(0);
  if (flags & ~1) throw ProtocolError.malformed('unknown video flags');
  const captureTime = view.getFloat64(5);
  if (!Number.isFinite(captureTime)) throw ProtocolError.malformed('bad capture time');
  return { keyframe: (flags & 1) === 1, frameId: view.getUint32(1), captureTime, data: bytes.subarray(VIDEO_HEADER) };
}
