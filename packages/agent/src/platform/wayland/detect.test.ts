import { describe, expect, it } from 'vitest';
import { detectWayland } from './detect.js';

/** The session decides: Wayland (GNOME → mutter, others → portal) or not, whatever DISPLAY says. */
describe('detecting a Wayland session', () => {
  const route = (env: Record<string, string>) => {
    const found = detectWayland(env);
    return 'route' in found ? found.route : undefined;
  };

  it('takes mutter on GNOME, also as one of several desktop names, and says why', () => {
    expect(route({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'GNOME' })).toBe('mutter');
    expect(route({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' })).toBe('mutter');
    expect(route({ WAYLAND_DISPLAY: 'wayland-0', XDG_CURRENT_DESKTOP: 'gnome' })).toBe('mutter');
    expect(detectWayland({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'ubuntu:GNOME', DISPLAY: ':0' })).toEqual({
      route: 'mutter',
      why: "a GNOME Wayland session (XDG_SESSION_TYPE=wayland, XDG_CURRENT_DESKTOP=ubuntu:GNOME): screen and input through mutter's remote-desktop API; DISPLAY=:0 is XWayland, which shows only X programs, so it is not used",
    });
  });

  it('takes the portal on other Wayland desktops, or where the desktop does not name itself', () => {
    expect(route({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'KDE' })).toBe('portal');
    expect(route({ WAYLAND_DISPLAY: 'wayland-1', XDG_CURRENT_DESKTOP: 'sway' })).toBe('portal');
    expect(route({ XDG_SESSION_TYPE: 'wayland' })).toBe('portal');
    expect(route({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'GNOME', FERNHILFE_WAYLAND: 'portal' })).toBe('portal');
  });

  it('is no Wayland session in an X11 session (even with a nested WAYLAND_DISPLAY), nor without either variable', () => {
    expect(detectWayland({ XDG_SESSION_TYPE: 'x11', DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ missing: 'this is an X11 session (XDG_SESSION_TYPE=x11)' });
    expect(detectWayland({ DISPLAY: ':0' })).toEqual({ missing: 'no Wayland session (XDG_SESSION_TYPE is not wayland and WAYLAND_DISPLAY is not set)' });
    expect(detectWayland({ XDG_SESSION_TYPE: 'tty', WAYLAND_DISPLAY: '' })).toEqual({ missing: 'no Wayland session (XDG_SESSION_TYPE is not wayland and WAYLAND_DISPLAY is not set)' });
  });

  it('leaves an X display named outright (the benchmark, the X11 tests) to X11', () => {
    expect(detectWayland({ XDG_SESSION_TYPE: 'wayland' }, { display: ':5' })).toEqual({ missing: 'the X display :5 was named outright' });
  });
});
