import type { Platform, PlatformEnv } from '../types.js';
import { detectWayland } from './detect.js';
import { WaylandNotifier } from './notifier.js';
import { openWaylandCapture, openWaylandClipboard, openWaylandInjector } from './open.js';

const why = (env: PlatformEnv): string | undefined => {
  const found = detectWayland(env);
  return 'why' in found ? found.why : undefined;
};

/**
 * Linux/Wayland: GNOME through mutter's own D-Bus API (org.gnome.Mutter.RemoteDesktop + ScreenCast,
 * frames through PipeWire and the system's GStreamer libraries over koffi), other desktops through
 * xdg-desktop-portal; the customer's requests also as desktop notifications (notifier.ts). It runs
 * where the session is Wayland (detect.ts); there it comes before X11, whose DISPLAY would be
 * XWayland. docs/agent-wayland.md.
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
  // no window can stay on top on Wayland (no openPanel): requests come as desktop notifications too
  openNotifier: (env, opts) => WaylandNotifier.open(env, opts),
  chosenBecause: (env) => why(env) ?? 'a Wayland session',
};
