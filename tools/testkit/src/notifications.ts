import dbus from 'dbus-next';

/** One Notify call as the desktop's notification server received it. */
export interface ReceivedNote {
  id: number;
  appName: string;
  summary: string;
  body: string;
  /** key, label, key, label … */
  actions: string[];
  /** the urgency hint (2: critical), undefined when not sent */
  urgency: number | undefined;
}

const NAME = 'org.freedesktop.Notifications';
/** NotificationClosed reasons (the specification's numbers) */
const DISMISSED = 2;
const CLOSED_BY_CALL = 3;

/**
 * org.freedesktop.Notifications as GNOME Shell offers it (buttons, body markup), standing in for the
 * shell's notification server, which a headless mutter does not run. It records every Notify and
 * CloseNotification; `press` is the customer clicking a button.
 */
class Notifications extends dbus.interface.Interface {
  readonly notes: ReceivedNote[] = [];
  readonly closed: number[] = [];

  /** `pressAtOnce`: a button pressed before Notify's answer goes out (the quickest customer there is) */
  constructor(private readonly pressAtOnce?: string) {
    super(NAME);
  }
  GetCapabilities(): string[] {
    return ['actions', 'body', 'body-markup', 'persistence'];
  }
  GetServerInformation(): string[] {
    return ['fernhilfe-test', 'Fernhilfe', '1', '1.2'];
  }
  Notify(appName: string, _replaces: number, _icon: string, summary: string, body: string, actions: string[], hints: Record<string, dbus.Variant<number>>): number {
    const id = this.notes.length + 1;
    this.notes.push({ id, appName, summary, body, actions, urgency: hints.urgency?.value });
    if (this.pressAtOnce) this.ActionInvoked(id, this.pressAtOnce);
    return id;
  }
  CloseNotification(id: number): void {
    this.closed.push(id);
    this.NotificationClosed(id, CLOSED_BY_CALL);
  }
  ActionInvoked(id: number, key: string): unknown[] {
    return [id, key];
  }
  NotificationClosed(id: number, reason: number): unknown[] {
    return [id, reason];
  }
}
Notifications.configureMembers({
  methods: {
    GetCapabilities: { outSignature: 'as' },
    GetServerInformation: { outSignature: 'ssss' },
    Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
    CloseNotification: { inSignature: 'u' },
  },
  signals: { ActionInvoked: { signature: 'us' }, NotificationClosed: { signature: 'uu' } },
});

export interface NotificationServer {
  readonly notes: readonly ReceivedNote[];
  /** ids taken away with CloseNotification */
  readonly closed: readonly number[];
  /** the customer clicks the button `key` of note `id`: ActionInvoked, then the note closes (as GNOME Shell does) */
  press(id: number, key: string): void;
  stop(): void;
}

/**
 * Owns org.freedesktop.Notifications on the bus at `busAddress` (the mutter session's). `pressAtOnce`:
 * every note's button with that key is pressed inside Notify, so the signal goes out before the answer.
 */
export async function startNotificationServer(busAddress: string, opts: { pressAtOnce?: string } = {}): Promise<NotificationServer> {
  const bus = dbus.sessionBus({ busAddress });
  bus.on('error', () => undefined);
  const server = new Notifications(opts.pressAtOnce);
  bus.export('/org/freedesktop/Notifications', server);
  await bus.requestName(NAME, 0);
  return {
    notes: server.notes,
    closed: server.closed,
    press: (id, key) => {
      server.ActionInvoked(id, key);
      server.NotificationClosed(id, DISMISSED);
    },
    stop: () => bus.disconnect(),
  };
}
