import { describe, expect, it } from 'vitest';
import { clipTo, evenArea, intersect } from './capture.js';

describe('rectangles', () => {
  it('intersects and misses', () => {
    expect(intersect({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 5, width: 10, height: 10 })).toEqual({ x: 5, y: 5, width: 5, height: 5 });
    expect(intersect({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 5, height: 5 })).toBeUndefined();
  });
  it('keeps sizes even for the encoder', () => {
    expect(evenArea({ x: 1, y: 2, width: 1367, height: 769 })).toEqual({ x: 1, y: 2, width: 1366, height: 768 });
  });
  it('clips damage to a monitor and makes it monitor-relative', () => {
    const monitor = { x: 1920, y: 0, width: 1920, height: 1080 };
    expect(clipTo([{ x: 100, y: 100, width: 50, height: 50 }, { x: 1900, y: 10, width: 40, height: 20 }], monitor)).toEqual([{ x: 0, y: 10, width: 20, height: 20 }]);
  });
});
