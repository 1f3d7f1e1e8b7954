import { describe, expect, it, vi } from 'vitest';
import { Emitter, initialFlowState, type CustomerFlowState, type FilesView, type GrantName } from '@fernhilfe/protocol';
import type { AgentApp } from '../app/agent-app.js';
import type { PanelKey, PanelWindow } from '../platform/types.js';
import { PanelNotice } from './notice.js';
import { PanelUi } from './panel-ui.js';
import type { RenderedPanel } from './render.js';

/** A customer's journey as far as the panel sees it: the state, End and the consent answers. */
class FakeFlow extends Emitter<{ state: CustomerFlowState }> {
  state: CustomerFlowState = { ...initialFlowState };
  readonly calls: string[] = [];
  set(patch: Partial<CustomerFlowState>): void {
    this.state = { ...this.state, ...patch };
    this.emit('state', this.state);
  }
  end(): Promise<void> {
    this.calls.push('end');
    return Promise.resolve();
  }
  decide(what: GrantName, decision: string): void {
    this.calls.push(`${decision} ${what}`);
  }
}

class FakeWindow implements PanelWindow {
  readonly scale = 1;
  shown: Array<{ width: number; height: number }> = [];
  click: (x: number, y: number) => void = () => undefined;
  key: (k: PanelKey) => void = () => undefined;
  closed = false;
  show(image: { width: number; height: number }): void {
    this.shown.push({ width: image.width, height: image.height });
  }
  onClick(l: (x: number, y: number) => void): void {
    this.click = l;
  }
  onKey(l: (k: PanelKey) => void): void {
    this.key = l;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function rig() {
  const flow = new FakeFlow();
  const files = Object.assign(new Emitter<{ files: FilesView }>(), { view: { folder: '', maySend: false, transfers: [], offers: [] } as FilesView, handleAccept: vi.fn(), handleRefuse: vi.fn() });
  const window = new FakeWindow();
  const sent: unknown[] = [];
  const notice = new PanelNotice();
  notice.attach((m) => sent.push(m));
  let opened = 0;
  const ui = new PanelUi({
    app: { flow, files } as unknown as AgentApp,
    language: 'en',
    branding: { companyName: 'Hilfe AG', primaryColor: '#0b5cad', accentColor: '#f0a500' },
    openWindow: () => (opened++, Promise.resolve(window)),
    notice,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const active = (consent: Partial<CustomerFlowState['consent']> = {}) =>
    flow.set({ phase: 'active', technician: { displayName: 'Max Mustermann', company: 'Beispiel GmbH' }, sas: '12 34', consent: { available: ['control', 'clipboard'], granted: { control: false, clipboard: false, recording: false }, pending: [], ...consent } });
  return { flow, files, window, sent, ui, active, opened: () => opened };
}

/** the centre of a button in the last picture (the ui keeps it in `rendered`) */
const centre = (ui: PanelUi, id: string) => {
  const hit = (ui as unknown as { rendered: RenderedPanel }).rendered.hits.find((h) => h.id === id)!;
  return [hit.rect.x + hit.rect.width / 2, hit.rect.y + hit.rect.height / 2] as const;
};

describe('the session panel’s controller', () => {
  it('opens the window when the session is active, tells the technician, closes it at the end', async () => {
    const r = rig();
    r.flow.set({ phase: 'waiting' });
    expect(r.opened()).toBe(0);
    r.active();
    await vi.waitFor(() => expect(r.window.shown.length).toBe(1));
    expect(r.opened()).toBe(1);
    expect(r.sent).toEqual([{ type: 'session-panel', shown: true }]);
    r.active(); // the same picture: not drawn again
    expect(r.window.shown.length).toBe(1);
    r.flow.set({ phase: 'ended' });
    await vi.waitFor(() => expect(r.window.closed).toBe(true));
    expect(r.sent.at(-1)).toEqual({ type: 'session-panel', shown: false });
    await r.ui.close();
  });

  it('clicks act like the page: Allow, Take back control, End; a click beside the buttons does nothing', async () => {
    const r = rig();
    r.active({ pending: ['control'] });
    await vi.waitFor(() => expect(r.window.shown.length).toBe(1));
    r.window.click(2, 2);
    r.window.click(...centre(r.ui, 'allow-control'));
    r.active({ granted: { control: true, clipboard: false, recording: false } });
    r.window.click(...centre(r.ui, 'revoke-control'));
    r.window.click(...centre(r.ui, 'end-session'));
    expect(r.flow.calls).toEqual(['allow control', 'revoke control', 'end']);
    await r.ui.close();
  });

  it('keyboard: Tab moves the focus (drawn), Enter presses, Escape refuses the question and never ends', async () => {
    const r = rig();
    r.active({ pending: ['clipboard'] });
    await vi.waitFor(() => expect(r.window.shown.length).toBe(1));
    r.window.key('enter'); // nothing has the focus yet
    r.window.key('tab');
    expect(r.window.shown.length).toBe(2); // the focus ring is drawn
    r.window.key('tab');
    r.window.key('enter'); // the second button: Refuse
    r.window.key('shift-tab');
    r.window.key('shift-tab'); // wraps to the last: End session
    r.window.key('escape');
    r.window.key('enter');
    expect(r.flow.calls).toEqual(['refuse clipboard', 'refuse clipboard', 'end']);
    await r.ui.close();
  });

  it('a file offered: Save and Refuse go to the files', async () => {
    const r = rig();
    r.files.view = { ...r.files.view, offers: [{ transferId: 'c'.repeat(32), direction: 'to-customer', outgoing: false, name: 'a.txt', size: 1, state: 'offered', transferred: 0, sentBytes: 0, bytesPerSecond: 0 }] };
    r.active();
    await vi.waitFor(() => expect(r.window.shown.length).toBe(1));
    r.window.click(...centre(r.ui, 'accept-file'));
    expect(r.files.handleAccept).toHaveBeenCalledWith('c'.repeat(32));
    await r.ui.close();
  });
});
