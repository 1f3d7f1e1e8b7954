import { CaptureError } from '../errors.js';
import type { PlatformEnv } from '../types.js';
import { Variant, call, property, proxy, sessionBus, type Bus, type DBusInterface } from './dbus.js';
import { mutterMonitors } from './monitors.js';
import type { CastMonitor, RemoteInput, RemoteSession } from './remote.js';

const RD = 'org.gnome.Mutter.RemoteDesktop';
const SC = 'org.gnome.Mutter.ScreenCast';
/** cursor-mode 1: mutter draws the pointer into the frames (2, metadata, does not pass through pipewiresrc) */
const CURSOR_EMBEDDED = 1;
/** Shift_L: pressed and released once after Start, because mutter drops the first key event of a session */
const SHIFT_L = 0xffe1;
const STREAM_TIMEOUT_MS = 5000;

/** A monitor with its screen-cast stream: the stream's object path (pointer input) and its PipeWire node (frames). */
export interface MutterMonitor extends CastMonitor {
  stream: string;
}

/**
 * One mutter remote-desktop session with a screen-cast stream per monitor, on a D-Bus connection of
 * its own (mutter ends the session when that connection closes). Capture and input share it
 * (remote.ts): the pointer moves in a stream's coordinates.
 */
export class MutterSession implements RemoteSession {
  readonly input: RemoteInput;

  private constructor(
    private readonly bus: Bus,
    private readonly remote: DBusInterface,
    readonly monitors: readonly MutterMonitor[],
  ) {
    const notify = (method: string, ...args: unknown[]) => call(remote, method, ...args);
    this.input = {
      keysym: (ks, down) => notify('NotifyKeyboardKeysym', ks, down),
      button: (b, down) => notify('NotifyPointerButton', b, down),
      motion: (m, x, y) => notify('NotifyPointerMotionAbsolute', (m as MutterMonitor).stream, x, y),
      axis: (axis, steps) => notify('NotifyPointerAxisDiscrete', axis, steps),
    };
  }
  static async open(env: PlatformEnv): Promise<MutterSession> {
    const bus = sessionBus(env);
    bus.on('error', () => undefined); // a lost bus ends the session; the capture reports it
    try {
      const rd = await proxy(bus, RD, '/org/gnome/Mutter/RemoteDesktop', RD).catch((err: unknown) => {
        throw new CaptureError('no-display', `GNOME's remote-desktop service (${RD}) does not answer on the session bus: is this GNOME on Wayland?`, { cause: err });
      });
      const rdPath = await call<string>(rd, 'CreateSession');
      const remote = await proxy(bus, RD, rdPath, `${RD}.Session`);
      const id = await property<string>(bus, RD, rdPath, `${RD}.Session`, 'SessionId');
      const sc = await proxy(bus, SC, '/org/gnome/Mutter/ScreenCast', SC);
      const scPath = await call<string>(sc, 'CreateSession', { 'remote-desktop-session-id': new Variant('s', id) });
      const cast = await proxy(bus, SC, scPath, `${SC}.Session`);
      const screens = await mutterMonitors(bus);
      if (screens.length === 0) throw new CaptureError('no-display', 'GNOME reports no monitor');
      const streams = await Promise.all(
        screens.map(async (m) => {
          const path = await call<string>(cast, 'RecordMonitor', m.id, { 'cursor-mode': new Variant('u', CURSOR_EMBEDDED) });
          return { monitor: m, path, iface: await proxy(bus, SC, path, `${SC}.Stream`) };
        }),
      );
      // node ids are reused by PipeWire: always the one the signal names
      const nodes = streams.map(({ iface }) => nodeOf(iface));
      await call(remote, 'Start');
      const ids = await Promise.all(nodes);
      const monitors = streams.map(({ monitor, path }, i) => ({ ...monitor, stream: path, node: ids[i]! }));
      await call(remote, 'NotifyKeyboardKeysym', SHIFT_L, true);
      await call(remote, 'NotifyKeyboardKeysym', SHIFT_L, false);
      return new MutterSession(bus, remote, monitors);
    } catch (err) {
      bus.disconnect();
      throw err;
    }
  }

  /** the session's connection closed or mutter stopped it */
  onClosed(listener: () => void): void {
    this.remote.on('Closed', listener);
    this.bus.on('error', listener);
  }

  async stop(): Promise<void> {
    await call(this.remote, 'Stop').catch(() => undefined);
    this.bus.disconnect();
  }
}

function nodeOf(stream: DBusInterface): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CaptureError('display-refused', `mutter started no PipeWire stream within ${STREAM_TIMEOUT_MS / 1000} s`)), STREAM_TIMEOUT_MS);
    stream.once('PipeWireStreamAdded', (node: number) => {
      clearTimeout(timer);
      resolve(node);
    });
  });
}
