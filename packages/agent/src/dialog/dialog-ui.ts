import type { AgentApp } from '../app/agent-app.js';
import type { NativeDialog } from '../platform/types.js';
import { dialogView, type DialogAction, type DialogView } from './dialog-view.js';

export interface DialogUiOptions {
  app: AgentApp;
  dialog: NativeDialog;
  language: 'de' | 'en';
  company: string;
}

/**
 * The customer's face where no browser can be opened (Windows): one native window that always shows
 * the current state (dialog-view.ts) and turns clicks into the flow's actions. Closing the window
 * ends the session: a customer who can no longer see the prompts and End must not stay connected.
 */
export class DialogUi {
  private view: DialogView | undefined;
  private readonly off: () => void;

  constructor(private readonly opts: DialogUiOptions) {
    opts.dialog.onClick((index) => {
      const action = this.view?.buttons[index]?.action;
      if (action) this.act(action);
    });
    opts.dialog.onClose(() => void opts.app.flow.end());
    this.off = opts.app.flow.on('state', () => this.render());
    this.render();
  }

  private render(): void {
    this.view = dialogView(this.opts.app.flow.state, this.opts.language, this.opts.company);
    this.opts.dialog.show(this.view.text, this.view.buttons.map((b) => b.label));
  }

  private act(action: DialogAction): void {
    const { flow } = this.opts.app;
    const s = flow.state;
    switch (action.kind) {
      case 'accept-terms':
      case 'retry-register':
        if (s.terms) void flow.acceptTerms(this.opts.language, s.terms.version);
        return;
      case 'retry-terms':
        return void flow.loadTerms();
      case 'end':
        return void flow.end();
      case 'decide':
        return flow.decide(action.what, action.decision);
    }
  }

  close(): void {
    this.off();
    this.opts.dialog.close();
  }
}
