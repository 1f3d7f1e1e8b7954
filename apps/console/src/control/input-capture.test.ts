import { describe, expect, it } from 'vitest';
import { WheelAccumulator, toFrame } from './input-capture';

describe('canvas -> frame coordinates', () => {
  const frame = { width: 1920, height: 1080 };
  it('scales a fitted canvas to the frame and clamps to its edges', () => {
    const rect = { left: 100, top: 50, width: 960, height: 540 };
    expect(toFrame(100, 50, rect, frame)).toEqual({ x: 0, y: 0 });
    expect(toFrame(580, 320, rect, frame)).toEqual({ x: 960, y: 540 });
    expect(toFrame(1060, 590, rect, frame)).toEqual({ x: 1919, y: 1079 });
    expect(toFrame(0, 0, rect, frame)).toEqual({ x: 0, y: 0 });
    expect(toFrame(5, 5, { left: 0, top: 0, width: 0, height: 0 }, frame)).toEqual({ x: 0, y: 0 });
  });
});

describe('wheel notches', () => {
  it('adds small touchpad deltas up to whole notches, both axes, lines and pages too', () => {
    const w = new WheelAccumulator();
    expect(w.add(0, 40, 0)).toEqual({ dx: 0, dy: 0 });
    expect(w.add(0, 70, 0)).toEqual({ dx: 0, dy: 1 });
    expect(new WheelAccumulator().add(-250, 0, 0)).toEqual({ dx: -2, dy: 0 });
    expect(new WheelAccumulator().add(0, 3, 1)).toEqual({ dx: 0, dy: 1 });
    expect(new WheelAccumulator().add(1, -1, 2)).toEqual({ dx: 1, dy: -1 });
  });
});
