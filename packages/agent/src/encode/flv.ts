import { EncodeError } from './errors.js';

/**
 * Splits ffmpeg's FLV output into whole encoded frames. FLV is used only as framing: raw H.264
 * (Annex B) marks where an access unit starts (AUD) but not where it ends, so the last frame before
 * an idle screen would wait for the next one; an FLV tag carries its exact size.
 *
 *   file header: "FLV" u8 version | u8 flags | u32 header size (9) | u32 previous tag size (0)
 *   tag:         u8 type (9 = video) | u24 data size | u24 timestamp | u8 timestamp ext | u24 stream id
 *                | data | u32 previous tag size
 *   video data:  u4 frame type (1 = key) | u4 codec (7 = AVC) | u8 AVC packet type (0 = sequence
 *                header with the AVCDecoderConfigurationRecord, 1 = NAL units) | i24 composition time | payload
 */
export interface FlvVideoPacket {
  keyframe: boolean;
  /** 0: AVCDecoderConfigurationRecord, 1: length-prefixed NAL units, 2: end of sequence */
  avcPacketType: number;
  payload: Uint8Array;
}

const TAG_HEADER = 11;
const VIDEO = 9;
const AVC = 7;

export class FlvDemuxer {
  private buf: Uint8Array = new Uint8Array(0);
  private headerDone = false;

  /** Adds bytes; returns every video packet completed by them. Throws on a stream that is not FLV/AVC. */
  push(chunk: Uint8Array): FlvVideoPacket[] {
    this.buf = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    const out: FlvVideoPacket[] = [];
    let at = 0;
    if (!this.headerDone) {
      if (this.buf.length < 13) return out;
      if (this.buf[0] !== 0x46 || this.buf[1] !== 0x4c || this.buf[2] !== 0x56) throw new EncodeError('encoder-failed', 'encoder output is not FLV');
      at = readU32(this.buf, 5) + 4;
      this.headerDone = true;
    }
    while (this.buf.length - at >= TAG_HEADER) {
      const type = this.buf[at]! & 0x1f;
      const size = readU24(this.buf, at + 1);
      const total = TAG_HEADER + size + 4;
      if (this.buf.length - at < total) break;
      if (type === VIDEO && size >= 5) {
        const d = this.buf.subarray(at + TAG_HEADER, at + TAG_HEADER + size);
        if ((d[0]! & 0x0f) !== AVC) throw new EncodeError('encoder-failed', 'encoder output is not H.264');
        out.push({ keyframe: d[0]! >> 4 === 1, avcPacketType: d[1]!, payload: d.slice(5) });
      }
      at += total;
    }
    this.buf = this.buf.subarray(at);
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const readU24 = (b: Uint8Array, at: number): number => (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
const readU32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
