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
      expect((caught as PlatformError).message).toBe('no desktop to share or control here (windows: this is linux, not Windows; wayland: no Wayland session (XDG_SESSION_TYPE is not wayland and WAYLAND_DISPLAY is not set); x11: DISPLAY is not set)');
    }
  });

  it('picks Wayland in a Wayland session although DISPLAY names XWayland, and X11 in an X11 session', () => {
    expect(choosePlatform({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'GNOME', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' })).toBe(platforms.wayland);
    expect(choosePlatform({ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' })).toBe(platforms.wayland);
    expect(choosePlatform({ XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' })).toBe(platforms.x11);
    expect(platforms.wayland.chosenBecause?.({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'KDE' })).toBe(
      'a Wayland session (XDG_SESSION_TYPE=wayland, XDG_CURRENT_DESKTOP=KDE): screen and input through the desktop portal, which asks the customer first',
    );
    expect(platforms.x11.chosenBecause?.({ DISPLAY: ':0' })).toBe('an X11 session: DISPLAY=:0 names the X server');
  });

  it('counts a display named outright (the benchmark, the screen tests) as the environment’s', () => {
    expect(choosePlatform({}, { display: ':5' }).name).toBe('x11');
  });

  it('opening a screen capture without any desktop rejects with the same reason', async () => {
    await expect(openScreenCapture({}, {})).rejects.toThrow('x11: DISPLAY is not set');
  });
});
