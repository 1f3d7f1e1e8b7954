import { describe, expect, it } from 'vitest';
import { encodeSize } from './encoder-config.js';

const macroblocks = (s: { width: number; height: number }) => Math.ceil(s.width / 16) * Math.ceil(s.height / 16);

describe('encodeSize', () => {
  it('keeps 1080p and makes odd sizes even', () => {
    expect(encodeSize(1920, 1080)).toEqual({ width: 1920, height: 1080 });
    expect(encodeSize(1283, 721)).toEqual({ width: 1282, height: 720 });
  });

  it('scales larger screens into H.264 level 4.0, keeping the aspect ratio', () => {
    for (const [w, h] of [[2560, 1440], [3840, 2160], [3440, 1440], [1080, 1920], [5120, 1440]] as const) {
      const s = encodeSize(w, h);
      expect(macroblocks(s)).toBeLessThanOrEqual(8192);
      expect(Math.abs(s.width / s.height - w / h)).toBeLessThan(0.02);
      expect(s.width % 2 + (s.height % 2)).toBe(0);
    }
  });
});
