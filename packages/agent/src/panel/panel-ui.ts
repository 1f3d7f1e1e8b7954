import { initialFlowState, type Branding } from '@fernhilfe/protocol';
import type { AgentApp } from '../app/agent-app.js';
import type { Log } from '../app/log.js';
import type { PanelKey, PanelWindow } from '../platform/types.js';
import { answer } from './answer.js';
import type { PanelNotice } from './notice.js';
import { panelModel, type PanelAction, type PanelModel } from './panel-model.js';
import { renderPanel, type RenderedPanel } from './render.js';
import { sayPanel } from './texts.js';

export interface PanelUiOptions {
  app: AgentApp;
  language: 'de' | 'en';
  branding: Pick<Branding, 'companyName' | 'primaryColor' | 'accentColor'>;
  /** the platform's panel window (Platform.openPanel) */
  openWindow(title: string): Promise<PanelWindow>;
  notice: PanelNotice;
  log: Log;
}

/**
 * The session panel over the customer's journey: a window appears when a technician is connected
 * (phase `active`) and goes at the end; it shows `panelModel` of every new state and file view,
 * and its buttons make the same calls as the page's (flow.end, flow.decide, the files' accept and
 * refuse). Keyboard: Tab / Shift+Tab move the focus, Enter (or Space) presses, Escape refuses the question.
 */
export class PanelUi {
  private window: PanelWindow | undefined;
  private opening = false;
  private closed = false;
  private rendered: RenderedPanel | undefined;
  private model: PanelModel | undefined;
  private drawnKey = '';
  private focus: string | undefined;
  private readonly offs: Array<() => void>;

  constructor(private readonly opts: PanelUiOptions) {
    this.offs = [opts.app.flow.on('state', () => this.update()), opts.app.files.on('files', () => this.update())];
    this.update();
    // parse the fonts and draw once while the customer reads the terms, not when the session starts
    setTimeout(() => this.warmUp(), 0).unref?.();
  }

  private warmUp(): void {
    if (this.closed || this.window) return;
    try {
      const { language, branding } = this.opts;
      const sample = panelModel({ ...initialFlowState, phase: 'active', technician: { displayName: 'Max Mustermann', company: 'Beispiel GmbH' }, sas: '000 000' }, { folder: '', maySend: false, transfers: [], offers: [] }, language, branding);
      if (sample) renderPanel(sample, { scale: 1 });
    } catch (err) {
      this.opts.log.warn({ err }, 'the session panel could not be drawn');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.offs) off();
    await this.hide();
  }

  private update(): void {
    if (this.closed) return;
    const { app, language, branding } = this.opts;
    const model = panelModel(app.flow.state, app.files.view, language, branding);
    this.model = model;
    if (!model) return void this.hide();
    if (!this.window) return void this.open();
    this.draw();
  }

  private async open(): Promise<void> {
    if (this.opening) return;
    this.opening = true;
    try {
      const title = sayPanel(this.opts.language, 'title', { company: this.opts.branding.companyName });
      const window = await this.opts.openWindow(title);
      if (this.closed || !this.model) return void (await window.close());
      this.window = window;
      window.onClick((x, y) => this.click(x, y));
      window.onKey((key) => this.key(key));
      window.onRescale?.(() => this.draw());
      this.draw();
      this.opts.notice.set(true);
    } catch (err) {
      this.opts.log.warn({ err }, 'the session panel could not be shown');
    } finally {
      this.opening = false;
    }
  }

  private async hide(): Promise<void> {
    const window = this.window;
    this.window = undefined;
    this.rendered = undefined;
    this.drawnKey = '';
    this.focus = undefined;
    this.opts.notice.set(false);
    await window?.close().catch((err: unknown) => this.opts.log.warn({ err }, 'closing the session panel failed'));
  }

  /** paints the model when it (or the focus) changed since the last picture */
  private draw(): void {
    const window = this.window;
    const model = this.model;
    if (!window || !model) return;
    const ids = [...(model.request?.buttons ?? []), ...model.buttons].map((b) => b.id);
    if (this.focus && !ids.includes(this.focus)) this.focus = undefined;
    const key = JSON.stringify([model, this.focus, window.scale]);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    this.rendered = renderPanel(model, { scale: window.scale, ...(this.focus ? { focus: this.focus } : {}) });
    window.show(this.rendered.image, this.rendered.titleBar);
  }

  private click(x: number, y: number): void {
    const hit = this.rendered?.hits.find((h) => x >= h.rect.x && y >= h.rect.y && x < h.rect.x + h.rect.width && y < h.rect.y + h.rect.height);
    if (hit) this.act(hit.action);
  }

  private key(key: PanelKey): void {
    const hits = this.rendered?.hits ?? [];
    if (hits.length === 0) return;
    const at = hits.findIndex((h) => h.id === this.focus);
    if (key === 'tab' || key === 'shift-tab') {
      const step = key === 'tab' ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : hits.length - 1) : (at + step + hits.length) % hits.length;
      this.focus = hits[next]!.id;
      return this.draw();
    }
    if (key === 'enter') {
      const focused = hits[at];
      if (focused) this.act(focused.action);
      return;
    }
    // Escape: "no" to the open question, never the end of the session
    const refuse = this.model?.request?.buttons[1];
    if (refuse) this.act(refuse.action);
  }

  private act(action: PanelAction): void {
    try {
      answer(this.opts.app, action);
    } catch (err) {
      this.opts.log.warn({ err, action: action.kind }, 'the session panel’s button failed');
    }
  }
}
