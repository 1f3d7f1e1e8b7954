import type { CaptureOptions, PlatformEnv } from '../types.js';

/** Which Wayland route the agent takes: GNOME's own D-Bus API (mutter), or the desktop-neutral xdg-desktop-portal. */
export type WaylandRoute = 'mutter' | 'portal';

export type WaylandDetection = { route: WaylandRoute; why: string } | { missing: string };

const set = (value: string | undefined): string | undefined => (value ? value : undefined);

/** The desktops of XDG_CURRENT_DESKTOP ("ubuntu:GNOME" → ["ubuntu", "gnome"]), lower case. */
export const currentDesktops = (env: PlatformEnv): string[] => (env.XDG_CURRENT_DESKTOP ?? '').split(':').map((d) => d.trim().toLowerCase()).filter(Boolean);

/**
 * Whether the customer's desktop is a Wayland session, from the variables a login session sets:
 * XDG_SESSION_TYPE=wayland, or WAYLAND_DISPLAY without XDG_SESSION_TYPE saying x11. A DISPLAY in a
 * Wayland session is XWayland (it shows only X programs), so it does not count. An X display named
 * outright (the benchmark, the X11 tests) is not Wayland. The route: mutter's API on GNOME, the
 * portal elsewhere; FERNHILFE_WAYLAND=portal|mutter overrides it (the portal test runs on GNOME).
 */
export function detectWayland(env: PlatformEnv, capture?: CaptureOptions): WaylandDetection {
  if (capture?.display) return { missing: `the X display ${capture.display} was named outright` };
  const type = set(env.XDG_SESSION_TYPE)?.toLowerCase();
  const wayland = set(env.WAYLAND_DISPLAY);
  if (type === 'x11') return { missing: 'this is an X11 session (XDG_SESSION_TYPE=x11)' };
  if (type !== 'wayland' && !wayland) return { missing: 'no Wayland session (XDG_SESSION_TYPE is not wayland and WAYLAND_DISPLAY is not set)' };
  const session = type === 'wayland' ? 'XDG_SESSION_TYPE=wayland' : `WAYLAND_DISPLAY=${wayland}`;
  const xwayland = set(env.DISPLAY) ? `; DISPLAY=${env.DISPLAY} is XWayland, which shows only X programs, so it is not used` : '';
  const forced = set(env.FERNHILFE_WAYLAND)?.toLowerCase();
  if (forced === 'mutter' || forced === 'portal') return { route: forced, why: `a Wayland session (${session}), route ${forced} as FERNHILFE_WAYLAND asks${xwayland}` };
  const desktops = currentDesktops(env);
  if (desktops.includes('gnome')) {
    return { route: 'mutter', why: `a GNOME Wayland session (${session}, XDG_CURRENT_DESKTOP=${env.XDG_CURRENT_DESKTOP}): screen and input through mutter's remote-desktop API${xwayland}` };
  }
  const desktop = desktops.length ? `XDG_CURRENT_DESKTOP=${env.XDG_CURRENT_DESKTOP}` : 'the desktop does not name itself';
  return { route: 'portal', why: `a Wayland session (${session}, ${desktop}): screen and input through the desktop portal, which asks the customer first${xwayland}` };
}
