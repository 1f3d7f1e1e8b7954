import { describe, expect, it, vi } from 'vitest';
import { Emitter, initialFlowState, type CustomerFlowState, type FilesView, type GrantName } from '@fernhilfe/protocol';
import type { AgentApp } from '../app/agent-app.js';
import type { DesktopNote, DesktopNotifier } from '../platform/types.js';
import { RequestNotifications } from './request-notifications.js';

/** The customer's journey as the notes see it; decide() answers as the real flow does: the question leaves `pending`. */
class Flow extends Emitter<{ state: CustomerFlowState }> {
  state: CustomerFlowState = { ...initialFlowState };
  readonly calls: string[] = [];
  set(patch: Partial<CustomerFlowState>): void {
    this.state = { ...this.state, ...patch };
    this.emit('state', this.state);
  }
  ask(...pending: GrantName[]): void {
    this.set({ phase: 'active', consent: { available: ['control', 'clipboard'], granted: { control: false, clipboard: false, recording: false }, pending } });
  }
  decide(what: GrantName, decision: string): void {
    this.calls.push(`${decision} ${what}`);
    this.set({ consent: { ...this.state.consent, pending: this.state.consent.pending.filter((p) => p !== what) } });
  }
  end(): Promise<void> {
    return Promise.resolve();
  }
}

/** The file offers as the notes see them; Save and Refuse recorded. */
class Files extends Emitter<{ files: FilesView }> {
  view: FilesView = { folder: '', maySend: false, transfers: [], offers: [] };
  readonly handleAccept = vi.fn();
  readonly handleRefuse = vi.fn();
  /** the technician offers files (or they are gone) */
  offer(offers: FilesView['offers']): void {
    this.view = { ...this.view, offers };
    this.emit('files', this.view);
  }
}

/** The desktop's notification service as the notes see it: what went up, what was taken away. */
class Desktop implements DesktopNotifier {
  readonly shown: Array<DesktopNote & { id: number }> = [];
  readonly withdrawn: number[] = [];
  private action: (id: number, key: string) => void = () => undefined;
  private closedNote: (id: number) => void = () => undefined;
  constructor(readonly actions = true) {}
  show(note: DesktopNote): Promise<number> {
    const id = this.shown.length + 1;
    this.shown.push({ ...note, id });
    return Promise.resolve(id);
  }
  withdraw(id: number): Promise<void> {
    this.withdrawn.push(id);
    return Promise.resolve();
  }
  onAction(listener: (id: number, key: string) => void): void {
    this.action = listener;
  }
  onClosed(listener: (id: number) => void): void {
    this.closedNote = listener;
  }
  /** the desktop reports an action (ActionInvoked) */
  invoke(id: number, key: string): void {
    this.action(id, key);
  }
  /** the customer presses a button: the desktop says so and takes the note away, as GNOME Shell does */
  press(id: number, key: string): void {
    this.action(id, key);
    this.closedNote(id);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const offer = { transferId: 'c'.repeat(32), direction: 'to-customer' as const, outgoing: false, name: 'setup.exe', size: 1, state: 'offered' as const, transferred: 0, sentBytes: 0, bytesPerSecond: 0 };

function rig(language: 'de' | 'en', open: () => Promise<DesktopNotifier>) {
  const flow = new Flow();
  const files = new Files();
  const warnings: string[] = [];
  const opened: string[] = [];
  const notes = new RequestNotifications({
    app: { flow, files } as unknown as AgentApp,
    language,
    companyName: 'Hilfe AG',
    openNotifier: (appName) => (opened.push(appName), open()),
    log: { info: () => undefined, warn: (_o, msg) => void warnings.push(msg), error: () => undefined },
  });
  return { flow, files, notes, warnings, opened };
}

/** lets the notes' promises settle (the note's id comes after the desktop showed it) */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** the notes as the customer reads them */
const seen = (d: Desktop) => d.shown.map((n) => [n.title, n.body, n.actions.map((a) => `${a.key}:${a.label}`).join(' ')]);

describe('the customer’s questions as desktop notifications', () => {
  it('one note per request, in German, from the operator, with Erlauben / Ablehnen; a file with Speichern', async () => {
    const desktop = new Desktop();
    const r = rig('de', () => Promise.resolve(desktop));
    r.flow.set({ phase: 'waiting' });
    r.flow.ask('control');
    r.flow.ask('control'); // the same question again: no second note
    r.files.offer([offer]);
    await vi.waitFor(() => expect(desktop.shown.length).toBe(2));
    expect(r.opened).toEqual(['Hilfe AG']);
    expect(seen(desktop)).toEqual([
      ['Hilfe AG: Fernwartung', 'Der Techniker bittet darum, Ihren Computer zu steuern (Maus und Tastatur).', 'allow:Erlauben refuse:Ablehnen'],
      ['Hilfe AG: Fernwartung', 'Der Techniker möchte Ihnen die Datei „setup.exe“ senden. Speichern?', 'allow:Speichern refuse:Ablehnen'],
    ]);
    await r.notes.close();
  });

  it('in English for an English customer', async () => {
    const desktop = new Desktop();
    const r = rig('en', () => Promise.resolve(desktop));
    r.flow.ask('clipboard');
    await vi.waitFor(() => expect(desktop.shown.length).toBe(1));
    expect(seen(desktop)).toEqual([['Hilfe AG: remote support', 'The technician asks to share the clipboard.', 'allow:Allow refuse:Refuse']]);
    await r.notes.close();
  });

  it('a button answers as the page does: Allow gives control, Refuse on a file refuses it; the note is not taken away twice', async () => {
    const desktop = new Desktop();
    const r = rig('de', () => Promise.resolve(desktop));
    r.flow.ask('control');
    r.files.offer([offer]);
    await vi.waitFor(() => expect(desktop.shown.length).toBe(2));
    await settled();
    desktop.invoke(1, 'default'); // the body clicked: no answer
    expect(r.flow.calls).toEqual([]);
    desktop.press(1, 'allow');
    desktop.press(2, 'refuse');
    expect(r.flow.calls).toEqual(['allow control']);
    expect(r.files.handleRefuse).toHaveBeenCalledWith(offer.transferId);
    expect(r.files.handleAccept).not.toHaveBeenCalled();
    r.flow.ask(); // the page shows the answer: nothing left to take away
    await settled();
    expect(desktop.withdrawn).toEqual([]);
    await r.notes.close();
  });

  it('answered on the page, withdrawn by the technician, or the session over: the note goes', async () => {
    const desktop = new Desktop();
    const r = rig('en', () => Promise.resolve(desktop));
    r.flow.ask('control', 'clipboard');
    r.files.offer([offer]);
    await vi.waitFor(() => expect(desktop.shown.length).toBe(3));
    await settled();
    r.flow.decide('control', 'refuse'); // the page's Refuse
    await vi.waitFor(() => expect(desktop.withdrawn).toEqual([1]));
    r.flow.ask(); // the technician withdrew the clipboard question
    await vi.waitFor(() => expect(desktop.withdrawn).toEqual([1, 2]));
    r.flow.set({ phase: 'ended' });
    await vi.waitFor(() => expect(desktop.withdrawn).toEqual([1, 2, 3]));
    r.files.offer([]); // the next session: no offer left
    // dismissed by the customer: the question stays on the page, and is not announced again
    r.flow.ask('control');
    await vi.waitFor(() => expect(desktop.shown.length).toBe(4));
    await settled();
    desktop.press(4, 'closed-by-customer');
    r.flow.ask('control');
    expect(desktop.shown.length).toBe(4);
    await r.notes.close();
  });

  it('a question answered on the page while its note goes up: the note is taken away once it is up', async () => {
    const desktop = new Desktop();
    let up: () => void = () => undefined;
    const r = rig('en', () => new Promise((resolve) => (up = () => resolve(desktop))));
    r.flow.ask('control');
    r.flow.decide('control', 'allow');
    up();
    await vi.waitFor(() => expect(desktop.withdrawn).toEqual([1]));
    await r.notes.close();
  });

  it('a desktop without buttons: the note says where to answer', async () => {
    const desktop = new Desktop(false);
    const r = rig('de', () => Promise.resolve(desktop));
    r.flow.ask('control');
    await vi.waitFor(() => expect(desktop.shown.length).toBe(1));
    expect(desktop.shown[0]!.body).toBe('Der Techniker bittet darum, Ihren Computer zu steuern (Maus und Tastatur).\nBitte antworten Sie auf der Support-Seite von Hilfe AG in Ihrem Browser.');
    await r.notes.close();
  });

  it('no notification service: said once in the log, the questions stay on the page, the next request tries again', async () => {
    const r = rig('en', () => Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown')));
    r.flow.ask('control');
    await vi.waitFor(() => expect(r.warnings.length).toBe(1));
    r.flow.ask('control', 'clipboard');
    await vi.waitFor(() => expect(r.opened.length).toBe(2));
    await r.notes.close();
    expect(r.warnings).toEqual(['no desktop notifications here: the customer’s questions wait on the program’s page only']);
    expect(r.flow.state.consent.pending).toEqual(['control', 'clipboard']);
  });
});
