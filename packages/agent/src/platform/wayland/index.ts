import type { Platform, PlatformEnv } from '../types.js';
import { detectWayland } from './detect.js';
import { openWaylandCapture, openWaylandClipboard, openWaylandInjector } from './open.js';

const why = (env: PlatformEnv): string | undefined => {
  const found = detectWayland(env);
  return 'why' in found ? found.why : undefined;
};

/**
 * Linux/Wayland: GNOME through mutter's own D-Bus API (org.gnome.Mutter.RemoteDesktop + ScreenCast,
 * frames through PipeWire and the system's GStreamer libraries over koffi), other desktops through
 * xdg-desktop-portal. It runs where the session is Wayland (detect.ts); there it comes before X11,
 * whose DISPLAY would be XWayland. docs/agent-wayland.md.
 */
export const wayland: Platform = {
  name: 'wayland',
  available: (env, capture) => {
    const found = detectWayland(env, capture);
    return 'missing' in found ? found.missing : undefined;
  },
  openCapture: (env) => openWaylandCapture(env),
  openInjector: (env) => openWaylandInjector(env),
  openClipboard: () => openWaylandClipboard(),
  chosenBecause: (env) => why(env) ?? 'a Wayland session',
};
