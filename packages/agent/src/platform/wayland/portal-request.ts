import dbus from 'dbus-next';
import type { Bus } from './dbus.js';

const REQUEST = 'org.freedesktop.portal.Request';
const SESSION = 'org.freedesktop.portal.Session';
export const PORTAL = 'org.freedesktop.portal.Desktop';
export const PORTAL_PATH = '/org/freedesktop/portal/desktop';

export type Results = Record<string, { value: unknown }>;
export interface Response {
  /** 0 done, 1 the customer cancelled, 2 ended otherwise */
  code: number;
  results: Results;
}

/**
 * The portal's Request/Response pattern on our own connection: each call names a handle_token, the
 * answer comes later as the Response signal of /org/freedesktop/portal/desktop/request/SENDER/TOKEN.
 * We listen for it before the call (a match on our sender's request folder), so none is missed.
 */
export class PortalRequests {
  private n = 0;
  private readonly waiting = new Map<string, (r: Response) => void>();
  private readonly closed = new Map<string, Set<() => void>>();
  private readonly sender: string;

  private constructor(private readonly bus: Bus) {
    this.sender = ((bus as unknown as { name?: string }).name ?? '').replace(/^:/, '').replace(/\./g, '_');
    bus.on('message', (m: dbus.Message) => {
      if (m.type !== dbus.MessageType.SIGNAL || !m.path) return;
      if (m.interface === REQUEST && m.member === 'Response') {
        const done = this.waiting.get(m.path);
        this.waiting.delete(m.path);
        const [code, results] = m.body as [number, Results];
        done?.({ code, results });
      } else if (m.interface === SESSION && m.member === 'Closed') {
        for (const l of this.closed.get(m.path) ?? []) l();
      }
    });
  }

  /** Listens for the portal's Response and Closed signals on `bus` (connected: its unique name is known). */
  static async on(bus: Bus): Promise<PortalRequests> {
    const me = new PortalRequests(bus);
    for (const rule of [`type='signal',interface='${REQUEST}',member='Response',path_namespace='${PORTAL_PATH}/request/${me.sender}'`, `type='signal',interface='${SESSION}',member='Closed'`]) {
      await bus.call(new dbus.Message({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'AddMatch', signature: 's', body: [rule] }));
    }
    return me;
  }

  /** A fresh token ("fernhilfe3") for handle_token or session_handle_token. */
  token(): string {
    return `fernhilfe${++this.n}`;
  }

  /** Calls `method` with a handle_token added to its options and resolves with the Response (or rejects after `timeoutMs`). */
  async ask(method: (options: Record<string, dbus.Variant>) => Promise<unknown>, options: Record<string, dbus.Variant>, timeoutMs: number, late: () => Error): Promise<Response> {
    const token = this.token();
    const path = `${PORTAL_PATH}/request/${this.sender}/${token}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = new Promise<Response>((resolve, reject) => {
      this.waiting.set(path, resolve);
      timer = setTimeout(() => {
        this.waiting.delete(path);
        reject(late());
      }, timeoutMs);
    });
    answered.catch(() => undefined); // awaited below; a timeout while the call itself hangs is not unhandled
    try {
      await method({ ...options, handle_token: new dbus.Variant('s', token) });
      return await answered;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(path);
    }
  }

  onSessionClosed(session: string, listener: () => void): void {
    const set = this.closed.get(session) ?? new Set();
    set.add(listener);
    this.closed.set(session, set);
  }
}
