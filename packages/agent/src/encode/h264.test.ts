import { describe, expect, it } from 'vitest';
import { codecString, nalTypes } from './h264.js';

describe('reading Annex B access units', () => {
  // SPS (High, level 4.0) with a 4-byte start code, PPS and IDR slice with 3-byte ones
  const au = new Uint8Array([0, 0, 0, 1, 0x67, 0x64, 0x00, 0x28, 0xac, 0, 0, 1, 0x68, 0xee, 0, 0, 1, 0x65, 0x88, 0x84]);

  it('lists the NAL unit types after either start code', () => {
    expect(nalTypes(au)).toEqual([7, 8, 5]);
    expect(nalTypes(new Uint8Array([0, 0, 1, 0x41, 0x9a]))).toEqual([1]);
  });

  it('takes the codec string from the SPS, none without one', () => {
    expect(codecString(au)).toBe('avc1.640028');
    expect(codecString(new Uint8Array([0, 0, 1, 0x41, 0x9a, 0, 0, 0]))).toBeUndefined();
  });
});
