import { describe, expect, it } from 'vitest';
import { parseAvcConfig, toAnnexB } from './avc.js';
import { FlvDemuxer } from './flv.js';

const sps = [0x67, 0x42, 0xc0, 0x28, 0xda];
const pps = [0x68, 0xce, 0x3c, 0x80];
const record = new Uint8Array([1, 0x42, 0xc0, 0x28, 0xff, 0xe1, 0, sps.length, ...sps, 1, 0, pps.length, ...pps]);

function tag(type: number, data: number[]): number[] {
  const size = data.length;
  return [type, size >> 16, (size >> 8) & 0xff, size & 0xff, 0, 0, 0, 0, 0, 0, 0, ...data, 0, 0, (size + 11) >> 8, (size + 11) & 0xff];
}
const header = [0x46, 0x4c, 0x56, 1, 1, 0, 0, 0, 9, 0, 0, 0, 0];
const idr = [0, 0, 0, 3, 0x65, 0x88, 0x84];
const slice = [0, 0, 0, 2, 0x41, 0x9a];
const stream = new Uint8Array([
  ...header,
  ...tag(18, [2, 0, 10, ...'onMetaData'.split('').map((c) => c.charCodeAt(0))]), // script tag: skipped
  ...tag(9, [0x17, 0, 0, 0, 0, ...record]),
  ...tag(9, [0x17, 1, 0, 0, 0, ...idr]),
  ...tag(9, [0x27, 1, 0, 0, 0, ...slice]),
]);

describe('FLV framing of the encoder output', () => {
  it('finds each frame exactly, also when the bytes come one at a time', () => {
    for (const step of [stream.length, 7, 1]) {
      const d = new FlvDemuxer();
      const packets = [];
      for (let i = 0; i < stream.length; i += step) packets.push(...d.push(stream.slice(i, i + step)));
      expect(packets.map((p) => [p.keyframe, p.avcPacketType, p.payload.length])).toEqual([
        [true, 0, record.length],
        [true, 1, idr.length],
        [false, 1, slice.length],
      ]);
    }
  });

  it('holds back a frame until its last byte is there', () => {
    const d = new FlvDemuxer();
    expect(d.push(stream.slice(0, stream.length - 1)).length).toBe(2);
    expect(d.push(stream.slice(stream.length - 1))).toHaveLength(1);
  });

  it('refuses output that is not FLV', () => {
    expect(() => new FlvDemuxer().push(new Uint8Array(20))).toThrow(/not FLV/);
  });
});

describe('AVCC to Annex B', () => {
  const config = parseAvcConfig(record);
  it('reads the codec string and the parameter sets', () => {
    expect(config.codec).toBe('avc1.42C028');
    expect(config.parameterSets.map((p) => [...p])).toEqual([sps, pps]);
  });
  it('puts SPS and PPS before a keyframe and start codes before each NAL unit', () => {
    expect([...toAnnexB(new Uint8Array(idr), config, true)]).toEqual([0, 0, 0, 1, ...sps, 0, 0, 0, 1, ...pps, 0, 0, 0, 1, 0x65, 0x88, 0x84]);
    expect([...toAnnexB(new Uint8Array(slice), config, false)]).toEqual([0, 0, 0, 1, 0x41, 0x9a]);
  });
  it('refuses a truncated NAL unit', () => {
    expect(() => toAnnexB(new Uint8Array([0, 0, 0, 9, 1]), config, false)).toThrow(/truncated/);
  });
});
