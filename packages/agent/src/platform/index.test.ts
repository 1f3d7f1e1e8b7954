import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors.js';
import { choosePlatform, openScreenCapture, platforms } from './index.js';

/** The table picks the platform at start from the environment; without a desktop it says what is missing. */
describe('the platform table', () => {
  it('picks X11 where DISPLAY names a display', () => {
    expect(choosePlatform({ DISPLAY: ':99' }).name).toBe('x11');
    expect(choosePlatform({ DISPLAY: ':99' })).toBe(platforms.x11);
  });

  it('without DISPLAY (unset or empty) refuses with a reason that names what is missing', () => {
    for (const env of [{}, { DISPLAY: '' }]) {
      let caught: unknown;
      try {
        choosePlatform(env);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(PlatformError);
      expect((caught as PlatformError).reason).toBe('unavailable');
      expect((caught as PlatformError).message).toBe('no desktop to share or control here (windows: this is linux, not Windows; x11: DISPLAY is not set)');
    }
  });

  it('counts a display named outright (the benchmark, the screen tests) as the environment’s', () => {
    expect(choosePlatform({}, { display: ':5' }).name).toBe('x11');
  });

  it('opening a screen capture without any desktop rejects with the same reason', async () => {
    await expect(openScreenCapture({}, {})).rejects.toThrow('x11: DISPLAY is not set');
  });
});
