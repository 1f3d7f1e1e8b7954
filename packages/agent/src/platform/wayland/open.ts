import { CaptureError, ClipboardError, InputError } from '../errors.js';
import type { ClipboardBackend, InputInjector, PlatformEnv, ScreenCapture } from '../types.js';
import { WaylandScreenCapture } from './capture.js';
import { detectWayland } from './detect.js';
import { MutterInjector } from './injector.js';
import { releaseMutterSession, useMutterSession } from './mutter.js';

/** The route `env` takes; the portal route is not built yet (docs/agent-wayland.md). */
function mutterOnly(env: PlatformEnv): void {
  const found = detectWayland(env);
  if ('route' in found && found.route === 'portal') {
    throw new CaptureError('no-display', 'this Wayland desktop is not GNOME: sharing through the desktop portal is not available in this version');
  }
}

export async function openWaylandCapture(env: PlatformEnv): Promise<ScreenCapture> {
  mutterOnly(env);
  const session = await useMutterSession(env);
  return WaylandScreenCapture.open(env, {
    monitors: session.monitors,
    onClosed: (listener) => session.onClosed(listener),
    release: () => releaseMutterSession(env, session),
  });
}

export async function openWaylandInjector(env: PlatformEnv): Promise<InputInjector> {
  try {
    mutterOnly(env);
  } catch (err) {
    throw new InputError('no-display', err instanceof Error ? err.message : String(err), { cause: err });
  }
  const session = await useMutterSession(env);
  return new MutterInjector(session, () => releaseMutterSession(env, session));
}

/**
 * No clipboard on Wayland yet: mutter hands clipboard contents over file descriptors
 * (SelectionRead/SelectionWrite), which pure-JS D-Bus cannot receive. Nothing is read; a text from
 * the technician is refused with that reason (the clipboard feature logs it).
 */
export function openWaylandClipboard(): Promise<ClipboardBackend> {
  const refused = () => Promise.reject(new ClipboardError('busy', 'the clipboard is not shared on Wayland in this version'));
  return Promise.resolve({
    onCopy: () => () => undefined,
    write: refused,
    read: () => Promise.resolve(undefined),
    close: () => Promise.resolve(),
  });
}
