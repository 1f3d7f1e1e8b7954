import { CaptureError } from '../errors.js';
import { desktopConsent } from '../desktop-consent.js';
import type { PlatformEnv } from '../types.js';
import { Variant, call, property, proxy, sessionBus, type Bus, type DBusInterface } from './dbus.js';
import { PORTAL, PORTAL_PATH, PortalRequests, type Response } from './portal-request.js';
import type { CastMonitor, RemoteInput, RemoteSession } from './remote.js';

const RD = 'org.freedesktop.portal.RemoteDesktop';
const SC = 'org.freedesktop.portal.ScreenCast';
/**
 * The portal's numbers: device types (keyboard 1 | pointer 2), source types (monitor 1), cursor modes
 * (hidden 1, embedded 2: drawn into the frames; metadata 4 does not pass through pipewiresrc); Shift_L,
 * pressed and released once after Start (GNOME's backend is mutter, which drops a session's first key);
 * how long a plain call may take, and how long the customer has for the desktop's dialog.
 */
const PORTAL_ARGS = { keyboardAndPointer: 3, monitors: 1, cursorEmbedded: 2, shiftL: 0xffe1, callMs: 15_000, dialogMs: 5 * 60_000 } as const;
const { keyboardAndPointer: KEYBOARD_AND_POINTER, monitors: MONITORS, cursorEmbedded: CURSOR_EMBEDDED, shiftL: SHIFT_L, callMs: CALL_MS, dialogMs: DIALOG_MS } = PORTAL_ARGS;

const failed = (step: string, r: Response): CaptureError =>
  r.code === 1
    ? new CaptureError('display-refused', 'the customer did not allow sharing in the desktop\'s dialog')
    : new CaptureError('display-refused', `the desktop portal ended the request at ${step} (response ${r.code})`);

/**
 * Screen and input through xdg-desktop-portal (org.freedesktop.portal.RemoteDesktop + ScreenCast),
 * for Wayland desktops other than GNOME (KDE Plasma …): CreateSession, SelectDevices (keyboard and
 * pointer), SelectSources (every monitor), Start — which shows the desktop's own consent dialog,
 * announced to the page (desktop-consent.ts) — then the streams' PipeWire nodes. The portal hands
 * frames over OpenPipeWireRemote's file descriptor, which pure-JS D-Bus cannot receive; this program
 * is not sandboxed, so GStreamer's pipewiresrc reads the node on the session's PipeWire socket
 * instead (docs/agent-wayland.md). Input with NotifyKeyboardKeysym and NotifyPointer*.
 */
export class PortalSession implements RemoteSession {
  readonly input: RemoteInput;

  private constructor(
    private readonly bus: Bus,
    private readonly requests: PortalRequests,
    private readonly handle: string,
    readonly monitors: readonly CastMonitor[],
    devices: number,
  ) {
    const rd = proxy(bus, PORTAL, PORTAL_PATH, RD);
    // One call at a time, each after the last one's reply. xdg-desktop-portal may handle the calls of one
    // client on several threads, so a key's press and release sent together can reach the desktop in the
    // wrong order (CI saw a typed space lost on this path, never on mutter's own). Through mutter's API
    // (mutter.ts) D-Bus keeps the order and calls go at once.
    let last: Promise<void> = Promise.resolve();
    const notify = (method: string, ...args: unknown[]): Promise<void> => {
      const next = last.catch(() => undefined).then(async () => void (await call(await rd, method, handle, {}, ...args)));
      last = next;
      return next;
    };
    const refused = (devices & KEYBOARD_AND_POINTER) !== KEYBOARD_AND_POINTER ? 'the customer shared the screen but did not allow remote interaction in the desktop\'s dialog' : undefined;
    this.input = {
      keysym: (ks, down) => notify('NotifyKeyboardKeysym', ks, down ? 1 : 0),
      button: (b, down) => notify('NotifyPointerButton', b, down ? 1 : 0),
      motion: (m, x, y) => notify('NotifyPointerMotionAbsolute', m.node, x, y),
      axis: (axis, steps) => notify('NotifyPointerAxisDiscrete', axis, steps),
      ...(refused ? { refused } : {}),
    };
  }

  static async open(env: PlatformEnv): Promise<PortalSession> {
    const bus = sessionBus(env);
    bus.on('error', () => undefined); // a lost bus ends the session; the capture reports it
    try {
      const [rd, sc] = await Promise.all([proxy(bus, PORTAL, PORTAL_PATH, RD), proxy(bus, PORTAL, PORTAL_PATH, SC)]).catch((err: unknown) => {
        throw new CaptureError('no-display', `the desktop portal (${PORTAL} with RemoteDesktop and ScreenCast) does not answer on the session bus: is xdg-desktop-portal installed with the desktop's backend (KDE: xdg-desktop-portal-kde)?`, { cause: err });
      });
      const requests = await PortalRequests.on(bus);
      const late = (step: string) => () => new CaptureError('display-refused', `the desktop portal did not answer ${step}`);
      const created = await requests.ask((o) => call(rd, 'CreateSession', o), { session_handle_token: new Variant('s', requests.token()) }, CALL_MS, late('CreateSession'));
      if (created.code !== 0) throw failed('CreateSession', created);
      const handle = String(created.results.session_handle?.value);
      const devices = await requests.ask((o) => call(rd, 'SelectDevices', handle, o), { types: new Variant('u', KEYBOARD_AND_POINTER) }, CALL_MS, late('SelectDevices'));
      if (devices.code !== 0) throw failed('SelectDevices', devices);
      const modes = await property<number>(bus, PORTAL, PORTAL_PATH, SC, 'AvailableCursorModes').catch(() => 0);
      const cursor: Record<string, InstanceType<typeof Variant>> = modes & CURSOR_EMBEDDED ? { cursor_mode: new Variant('u', CURSOR_EMBEDDED) } : {};
      const sources = await requests.ask((o) => call(sc, 'SelectSources', handle, o), { types: new Variant('u', MONITORS), multiple: new Variant('b', true), ...cursor }, CALL_MS, late('SelectSources'));
      if (sources.code !== 0) throw failed('SelectSources', sources);
      desktopConsent.announce('asking');
      let started: Response;
      try {
        started = await requests.ask((o) => call(rd, 'Start', handle, '', o), {}, DIALOG_MS, () => new CaptureError('display-refused', `nobody answered the desktop's sharing dialog within ${DIALOG_MS / 60_000} minutes`));
      } catch (err) {
        desktopConsent.announce('refused');
        throw err;
      }
      desktopConsent.announce(started.code === 0 ? 'allowed' : 'refused');
      if (started.code !== 0) throw failed('Start', started);
      const monitors = monitorsOf(started.results.streams?.value);
      if (monitors.length === 0) throw new CaptureError('display-refused', 'the desktop shared no monitor');
      const session = new PortalSession(bus, requests, handle, monitors, Number(started.results.devices?.value ?? 0));
      if (!session.input.refused) {
        await session.input.keysym(SHIFT_L, true);
        await session.input.keysym(SHIFT_L, false);
      }
      return session;
    } catch (err) {
      bus.disconnect();
      throw err;
    }
  }

  onClosed(listener: () => void): void {
    this.requests.onSessionClosed(this.handle, listener);
    this.bus.on('error', listener);
  }

  async stop(): Promise<void> {
    const session: DBusInterface | undefined = await proxy(this.bus, PORTAL, this.handle, 'org.freedesktop.portal.Session').catch(() => undefined);
    if (session) await call(session, 'Close').catch(() => undefined);
    this.bus.disconnect();
  }
}

type Stream = [number, Record<string, { value: unknown }>];

/** Start's streams a(ua{sv}): the PipeWire node, and where available the monitor's place and size. */
function monitorsOf(streams: unknown): CastMonitor[] {
  if (!Array.isArray(streams)) return [];
  return (streams as Stream[]).flatMap(([node, props], i) => {
    const [width, height] = (props.size?.value as [number, number] | undefined) ?? [0, 0];
    const [x, y] = (props.position?.value as [number, number] | undefined) ?? [0, 0];
    if (!(width > 0 && height > 0)) return [];
    return [{ id: `screen-${i + 1}`, name: `Screen ${i + 1}`, x, y, width, height, primary: i === 0, node }];
  });
}
