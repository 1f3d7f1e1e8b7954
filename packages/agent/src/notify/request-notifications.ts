import type { AgentApp } from '../app/agent-app.js';
import type { Log } from '../app/log.js';
import { answer } from '../panel/answer.js';
import { openRequests, type CustomerRequest } from '../panel/panel-model.js';
import { sayPanel } from '../panel/texts.js';
import type { DesktopNote, DesktopNotifier } from '../platform/types.js';

export interface RequestNotificationsOptions {
  app: AgentApp;
  language: 'de' | 'en';
  /** the operator's product name (branding): the notifications' sender and title */
  companyName: string;
  /** the platform's notifications (Platform.openNotifier), opened at the first request */
  openNotifier(appName: string): Promise<DesktopNotifier>;
  log: Log;
}

/** The keys of a note's two buttons: the request's first (Allow, Save) and second (Refuse). */
const KEYS = ['allow', 'refuse'] as const;

/** A request announced on the desktop. */
interface Note {
  request: CustomerRequest;
  /** the desktop's id while the note is up; undefined while it is being shown, and once it is gone (a button pressed, dismissed) */
  id?: number;
}

/**
 * The customer's questions as desktop notifications, where no session panel can stay on top
 * (Wayland): each request that needs an answer (control, the clipboard, recording, a file offered:
 * `openRequests`, the panel's own list) is announced once, in the customer's language, with the
 * request's two buttons; a button answers exactly as the page's does (panel/answer.ts). A request
 * answered on the page, withdrawn, or ended with the session takes its note away. Without a
 * notification service the page carries the questions alone: logged once, never an error.
 */
export class RequestNotifications {
  private readonly notes = new Map<string, Note>();
  private notifier: Promise<DesktopNotifier | undefined> | undefined;
  /** notes going up or being taken away: close() waits for them before the notifier goes */
  private readonly pending = new Set<Promise<void>>();
  private warned = false;
  private closed = false;
  private readonly offs: Array<() => void>;

  constructor(private readonly opts: RequestNotificationsOptions) {
    this.offs = [opts.app.flow.on('state', () => this.update()), opts.app.files.on('files', () => this.update())];
    this.update();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.offs) off();
    for (const [key, note] of this.notes) this.forget(key, note);
    await Promise.all(this.pending);
    const notifier = await this.notifier;
    await notifier?.close();
  }

  private update(): void {
    if (this.closed) return;
    const { app, language } = this.opts;
    const open = openRequests(app.flow.state, app.files.view, language);
    const keys = new Set(open.map((r) => r.id));
    // answered on the page, withdrawn by the technician, or the session is over
    for (const [key, note] of this.notes) if (!keys.has(key)) this.forget(key, note);
    for (const request of open) if (!this.notes.has(request.id)) this.announce(request);
  }

  private announce(request: CustomerRequest): void {
    const note: Note = { request };
    this.notes.set(request.id, note);
    this.track(this.show(note));
  }

  private track(work: Promise<void>): void {
    const done = work.finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private async show(note: Note): Promise<void> {
    const notifier = await this.connect();
    if (!notifier) return;
    try {
      const id = await notifier.show(this.noteOf(note.request, notifier.actions));
      // answered on the page (or the session over) while the note went up: take it away again
      if (this.notes.get(note.request.id) === note) note.id = id;
      else await notifier.withdraw(id);
    } catch (err) {
      this.opts.log.warn({ err, request: note.request.id }, 'a desktop notification could not be shown; the question waits on the page');
    }
  }

  private noteOf(request: CustomerRequest, buttons: boolean): DesktopNote {
    const { language, companyName: company } = this.opts;
    const title = sayPanel(language, 'title', { company });
    if (buttons) return { title, body: request.text, actions: request.buttons.map((b, i) => ({ key: KEYS[i]!, label: b.label })) };
    return { title, body: `${request.text}\n${sayPanel(language, 'answerOnPage', { company })}`, actions: [] };
  }

  /** the note leaves the desktop (if it is still up) and the list */
  private forget(key: string, note: Note): void {
    this.notes.delete(key);
    const id = note.id;
    if (id === undefined) return;
    note.id = undefined;
    const notifier = this.notifier;
    if (notifier) this.track(notifier.then((n) => n?.withdraw(id)).catch((err: unknown) => this.opts.log.warn({ err }, 'a desktop notification could not be taken away')));
  }

  /** The notifier, opened once; undefined (logged the first time) where the desktop has none: the next request tries again. */
  private connect(): Promise<DesktopNotifier | undefined> {
    this.notifier ??= this.opts.openNotifier(this.opts.companyName).then(
      (notifier) => {
        notifier.onAction((id, key) => this.pressed(id, key));
        notifier.onClosed((id) => this.dismissed(id));
        return notifier;
      },
      (err: unknown) => {
        if (!this.warned) this.opts.log.warn({ err }, 'no desktop notifications here: the customer’s questions wait on the program’s page only');
        this.warned = true;
        this.notifier = undefined;
        return undefined;
      },
    );
    return this.notifier;
  }

  private noteWith(id: number): Note | undefined {
    for (const note of this.notes.values()) if (note.id === id) return note;
    return undefined;
  }

  /** a button of a note: the page's own answer */
  private pressed(id: number, key: string): void {
    const note = this.noteWith(id);
    const button = note?.request.buttons[KEYS.indexOf(key as (typeof KEYS)[number])];
    if (!note || !button) return; // another key ("default": the body clicked) answers nothing
    note.id = undefined; // the desktop takes a note away once a button is pressed
    try {
      answer(this.opts.app, button.action);
    } catch (err) {
      this.opts.log.warn({ err, request: note.request.id }, 'the answer from a desktop notification failed');
    }
  }

  /** the customer closed a note without answering: the question stays on the page, and is not announced again */
  private dismissed(id: number): void {
    const note = this.noteWith(id);
    if (note) note.id = undefined;
  }
}
