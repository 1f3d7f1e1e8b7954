import { ClipboardError, InputError } from '../errors.js';
import type { ClipboardBackend, InputInjector, PlatformEnv, ScreenCapture } from '../types.js';
import { WaylandScreenCapture } from './capture.js';
import { detectWayland, type WaylandRoute } from './detect.js';
import { WaylandInjector } from './injector.js';
import { MutterSession } from './mutter.js';
import { PortalSession } from './portal.js';
import { releaseRemoteSession, useRemoteSession, type RemoteSession } from './remote.js';

/** The route `env` takes: mutter's own API on GNOME, the desktop portal elsewhere (detect.ts). */
const routeOf = (env: PlatformEnv): WaylandRoute => {
  const found = detectWayland(env);
  return 'route' in found ? found.route : 'mutter';
};

function useSession(env: PlatformEnv): Promise<RemoteSession> {
  const route = routeOf(env);
  return useRemoteSession(env, route, route === 'portal' ? (e) => PortalSession.open(e) : (e) => MutterSession.open(e));
}

export async function openWaylandCapture(env: PlatformEnv): Promise<ScreenCapture> {
  const session = await useSession(env);
  return WaylandScreenCapture.open(env, {
    monitors: session.monitors,
    onClosed: (listener) => session.onClosed(listener),
    release: () => releaseRemoteSession(env, routeOf(env), session),
  });
}

export async function openWaylandInjector(env: PlatformEnv): Promise<InputInjector> {
  let session: RemoteSession;
  try {
    session = await useSession(env);
  } catch (err) {
    throw new InputError('no-display', err instanceof Error ? err.message : String(err), { cause: err });
  }
  try {
    return new WaylandInjector(session, () => releaseRemoteSession(env, routeOf(env), session));
  } catch (err) {
    await releaseRemoteSession(env, routeOf(env), session);
    throw err;
  }
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
