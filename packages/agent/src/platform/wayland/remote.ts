import type { Monitor, PlatformEnv } from '../types.js';

/** A monitor with its screen-cast stream: its PipeWire node (frames) and, on mutter, the stream's object path (pointer input). */
export interface CastMonitor extends Monitor {
  node: number;
}

/** What input needs of a remote-desktop session (mutter's own API, or the desktop portal's). */
export interface RemoteInput {
  keysym(keysym: number, down: boolean): Promise<void>;
  /** an evdev button code (BTN_LEFT 0x110 …) */
  button(button: number, down: boolean): Promise<void>;
  /** absolute, in the coordinates of `monitor`'s stream */
  motion(monitor: CastMonitor, x: number, y: number): Promise<void>;
  /** 0 vertical, 1 horizontal, in notches */
  axis(axis: 0 | 1, steps: number): Promise<void>;
  /** why input is refused (the customer shared only the screen), or undefined */
  readonly refused?: string;
}

/**
 * One remote-desktop + screen-cast session (one stream per monitor), shared by the capture and the
 * injector of this process: opened by the first user, stopped when the last one lets go.
 */
export interface RemoteSession {
  readonly monitors: readonly CastMonitor[];
  readonly input: RemoteInput;
  /** the session's connection closed or the desktop stopped it */
  onClosed(listener: () => void): void;
  stop(): Promise<void>;
}

interface Held {
  session: RemoteSession;
  users: number;
}

/** The session of this process, per session bus, while the capture or the injector uses it. */
const shared = new Map<string, Promise<Held>>();

/** `route`: which kind of session (mutter, portal): the same bus may carry one of each (the portal test clicks the dialog through mutter's API). */
export async function useRemoteSession(env: PlatformEnv, route: string, open: (env: PlatformEnv) => Promise<RemoteSession>): Promise<RemoteSession> {
  const key = `${route} ${env.DBUS_SESSION_BUS_ADDRESS ?? ''}`;
  let opening = shared.get(key);
  if (!opening) {
    const mine = open(env).then((session) => ({ session, users: 0 }));
    opening = mine;
    shared.set(key, mine);
    // a session that failed to open or that the desktop ended is never handed out again
    const forget = () => {
      if (shared.get(key) === mine) shared.delete(key);
    };
    mine.then((held) => held.session.onClosed(forget), forget);
  }
  const held = await opening;
  held.users++;
  return held.session;
}

export async function releaseRemoteSession(env: PlatformEnv, route: string, session: RemoteSession): Promise<void> {
  const key = `${route} ${env.DBUS_SESSION_BUS_ADDRESS ?? ''}`;
  const opening = shared.get(key);
  const held = opening ? await opening.catch(() => undefined) : undefined;
  if (held?.session !== session) return void (await session.stop());
  if (--held.users > 0) return;
  shared.delete(key);
  await session.stop();
}
