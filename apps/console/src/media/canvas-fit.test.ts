import { describe, expect, it } from 'vitest';
import { fitSize } from './canvas-fit';

describe('fitSize', () => {
  it('contains the frame in the area, keeping the aspect ratio', () => {
    expect(fitSize({ width: 1920, height: 1080 }, { width: 960, height: 1000 }, 'fit')).toEqual({ width: 960, height: 540 });
    expect(fitSize({ width: 1920, height: 1080 }, { width: 2000, height: 540 }, 'fit')).toEqual({ width: 960, height: 540 });
    expect(fitSize({ width: 800, height: 600 }, { width: 1600, height: 1200 }, 'fit')).toEqual({ width: 1600, height: 1200 });
  });

  it('shows one remote pixel per CSS pixel in "actual" mode', () => {
    expect(fitSize({ width: 1920, height: 1080 }, { width: 500, height: 500 }, 'actual')).toEqual({ width: 1920, height: 1080 });
  });

  it('copes with an empty area or no frame yet', () => {
    expect(fitSize({ width: 1920, height: 1080 }, { width: 0, height: 0 }, 'fit')).toEqual({ width: 0, height: 0 });
    expect(fitSize({ width: 0, height: 0 }, { width: 800, height: 600 }, 'fit')).toEqual({ width: 0, height: 0 });
  });
});
