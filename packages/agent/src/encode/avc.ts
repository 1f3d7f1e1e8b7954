import { EncodeError } from './errors.js';

/**
 * H.264 from the FLV (AVCC) form to what the viewer decodes (Annex B, codec string without a
 * `description`): parameter sets from the AVCDecoderConfigurationRecord go in front of every
 * keyframe, each NAL unit gets a start code instead of its length prefix.
 *
 *   AVCDecoderConfigurationRecord: u8 version (1) | u8 profile | u8 compatibility | u8 level
 *   | u8 0b111111xx (length size - 1) | u8 0b111xxxxx (SPS count) | (u16 length, SPS)… | u8 PPS count | (u16 length, PPS)…
 */
export interface AvcConfig {
  /** WebCodecs codec string, e.g. avc1.42C028 */
  codec: string;
  lengthSize: number;
  parameterSets: Uint8Array[];
}

const START = new Uint8Array([0, 0, 0, 1]);

export function parseAvcConfig(record: Uint8Array): AvcConfig {
  if (record.length < 7 || record[0] !== 1) throw new EncodeError('encoder-failed', 'bad AVCDecoderConfigurationRecord');
  const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  const codec = `avc1.${hex(record[1]!)}${hex(record[2]!)}${hex(record[3]!)}`;
  const lengthSize = (record[4]! & 3) + 1;
  const parameterSets: Uint8Array[] = [];
  let at = 5;
  const readSets = (count: number) => {
    for (let i = 0; i < count; i++) {
      if (at + 2 > record.length) throw new EncodeError('encoder-failed', 'truncated AVCDecoderConfigurationRecord');
      const len = (record[at]! << 8) | record[at + 1]!;
      if (at + 2 + len > record.length) throw new EncodeError('encoder-failed', 'truncated AVCDecoderConfigurationRecord');
      parameterSets.push(record.slice(at + 2, at + 2 + len));
      at += 2 + len;
    }
  };
  readSets(record[at++]! & 0x1f);
  if (at < record.length) readSets(record[at++]!);
  return { codec, lengthSize, parameterSets };
}

/** Length-prefixed NAL units -> Annex B; with `withParameterSets` the SPS/PPS go first. */
export function toAnnexB(nalus: Uint8Array, config: AvcConfig, withParameterSets: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  if (withParameterSets) for (const ps of config.parameterSets) parts.push(START, ps);
  let at = 0;
  while (at + config.lengthSize <= nalus.length) {
    let len = 0;
    for (let i = 0; i < config.lengthSize; i++) len = len * 256 + nalus[at + i]!;
    at += config.lengthSize;
    if (at + len > nalus.length) throw new EncodeError('encoder-failed', 'truncated NAL unit');
    parts.push(START, nalus.subarray(at, at + len));
    at += len;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
