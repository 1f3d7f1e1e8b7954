import { EventEmitter } from 'node:events';
import { NotificationError } from '../errors.js';
import type { DesktopNote, DesktopNotifier, PlatformEnv } from '../types.js';
import { Variant, call, proxy, sessionBus, type Bus, type DBusInterface } from './dbus.js';

const NAME = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
/** the urgency hint's "critical": the desktop keeps it until it is answered or closed (GNOME: also over full-screen windows) */
const CRITICAL = 2;

/** `&`, `<`, `>` as entities: a desktop with `body-markup` reads the body as markup (a file named "a<b>.txt") */
const escapeMarkup = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The arguments of org.freedesktop.Notifications.Notify for `note` on a server with `capabilities`:
 * app name, replaces id, icon, summary, body, actions (key, label, key, label …; none where the
 * server shows no buttons), hints (urgency critical), expire timeout (0: never). Pure.
 */
export function notifyArguments(appName: string, note: DesktopNote, capabilities: readonly string[]): unknown[] {
  const body = capabilities.includes('body-markup') ? escapeMarkup(note.body) : note.body;
  const actions = capabilities.includes('actions') ? note.actions.flatMap((a) => [a.key, a.label]) : [];
  return [appName, 0, '', note.title, body, actions, { urgency: new Variant('y', CRITICAL) }, 0];
}

/** a signal of the notification server about one note */
type NoteSignal = { kind: 'action'; id: number; key: string } | { kind: 'closed'; id: number };
/** signals kept at most while a Notify is on its way (other programs' notes pass by too) */
const EARLY_MAX = 32;

/**
 * The desktop's notification server on the session bus (GNOME Shell, KDE Plasma, dunst, mako …),
 * on a connection of its own: Notify, CloseNotification, and its ActionInvoked / NotificationClosed
 * signals, which every client of the bus hears: only the ids this notifier showed are passed on.
 */
export class WaylandNotifier implements DesktopNotifier {
  private readonly events = new EventEmitter();
  /** the ids of the notes this notifier shows now */
  private readonly mine = new Set<number>();
  /** what the server can show (GetCapabilities): "actions" (buttons), "body-markup" … */
  private capabilities: readonly string[] = [];
  /** Notify calls on their way */
  private showing = 0;
  /** signals heard while a Notify was on its way, for ids not known yet (see show) */
  private early: NoteSignal[] = [];

  private constructor(
    private readonly bus: Bus,
    private readonly server: DBusInterface,
    private readonly appName: string,
  ) {}

  /** Connects and asks the server what it can show; NotificationError when nothing answers as the notification service. */
  static async open(env: PlatformEnv, opts: { appName: string }): Promise<WaylandNotifier> {
    const bus = sessionBus(env);
    bus.on('error', () => undefined); // a lost bus: later notes fail, and the page still asks
    try {
      const server = await proxy(bus, NAME, PATH, NAME);
      const notifier = new WaylandNotifier(bus, server, opts.appName);
      // the signals' match rules go out before the capabilities' call: no answer can come before we listen
      server.on('ActionInvoked', (id: number, key: string) => notifier.heard({ kind: 'action', id, key }));
      server.on('NotificationClosed', (id: number) => notifier.heard({ kind: 'closed', id }));
      notifier.capabilities = await call<string[]>(server, 'GetCapabilities');
      return notifier;
    } catch (err) {
      bus.disconnect();
      throw NotificationError.noService(`no desktop notification service (${NAME}) answers on the session bus`, err);
    }
  }

  get actions(): boolean {
    return this.capabilities.includes('actions');
  }

  /**
   * Shows `note`; its id. A button pressed at once can be heard before Notify's answer is read (the
   * signal's handler can run before the code after the call's await): such signals are
   * kept while a Notify is on its way and passed on once its id is known, after the caller has it.
   */
  async show(note: DesktopNote): Promise<number> {
    this.showing++;
    try {
      const id = await call<number>(this.server, 'Notify', ...notifyArguments(this.appName, note, this.capabilities));
      this.mine.add(id);
      const early = this.early.filter((e) => e.id === id);
      if (early.length > 0) setImmediate(() => early.forEach((e) => this.pass(e)));
      return id;
    } finally {
      if (--this.showing === 0) this.early = [];
    }
  }

  private heard(e: NoteSignal): void {
    if (this.mine.has(e.id)) this.pass(e);
    else if (this.showing > 0 && this.early.length < EARLY_MAX) this.early.push(e);
  }

  private pass(e: NoteSignal): void {
    if (e.kind === 'action') {
      if (this.mine.has(e.id)) this.events.emit('action', e.id, e.key);
    } else if (this.mine.delete(e.id)) this.events.emit('closed', e.id);
  }

  async withdraw(id: number): Promise<void> {
    if (!this.mine.delete(id)) return;
    await call(this.server, 'CloseNotification', id);
  }

  onAction(listener: (id: number, key: string) => void): void {
    this.events.on('action', listener);
  }

  onClosed(listener: (id: number) => void): void {
    this.events.on('closed', listener);
  }

  close(): Promise<void> {
    this.events.removeAllListeners();
    this.server.removeAllListeners();
    this.bus.disconnect();
    return Promise.resolve();
  }
}
