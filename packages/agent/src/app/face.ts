import type { Readable, Writable } from 'node:stream';
import type { Branding } from '@fernhilfe/protocol';
import type { AgentConfig } from '../config/config.js';
import { DialogUi } from '../dialog/dialog-ui.js';
import type { NativeDialog } from '../platform/types.js';
import { TerminalUi, clean } from '../tui/terminal-ui.js';
import { say } from '../tui/texts.js';
import type { UiAsset } from '../ui/assets.js';
import { UiServer } from '../ui/ui-server.js';
import type { AgentApp } from './agent-app.js';
import type { ElevationWatch } from './elevation-watch.js';
import type { Log } from './log.js';

/** The customer's face: the page in their browser, or the terminal. */
export interface Face {
  kind: 'page' | 'dialog' | 'terminal';
  close(): Promise<void>;
}

export interface FaceDeps {
  app: AgentApp;
  branding: Branding;
  log: Log;
  assets: () => Promise<Map<string, UiAsset>>;
  openBrowser: (url: string) => Promise<boolean>;
  stdin: Readable;
  stdout: Writable;
  /** how long the agent waits for its page to come back before it ends the session */
  pageGraceMs: number;
  /** a native window (Windows: platform/windows/dialog.ts); where there is one it replaces the terminal */
  openDialog?: (title: string) => NativeDialog;
  /** Windows: elevated windows and the secure desktop, shown in the page with "Restart as administrator" */
  elevation?: ElevationWatch;
}

/**
 * Starts the face the configuration asks for: the local page (opened in the browser, or only its
 * address printed with --no-browser), the native dialog (--dialog, Windows) or the terminal UI;
 * without a browser to open, the native dialog where the platform has one, else the terminal.
 */
export async function openFace(config: AgentConfig, deps: FaceDeps): Promise<Face> {
  if (config.face === 'browser' || config.face === 'url') {
    const ui = await UiServer.start({
      app: deps.app,
      assets: await deps.assets(),
      branding: deps.branding,
      language: config.language,
      log: deps.log,
      pageGraceMs: deps.pageGraceMs,
      ...(deps.elevation ? { elevation: deps.elevation } : {}),
      onPageGone: () => {
        deps.log.warn({}, 'the support page was closed: ending');
        void deps.app.flow.end();
      },
      onLinkReused: () => {
        deps.log.warn({}, 'the support page link was used twice: ending');
        void deps.app.flow.end();
      },
    });
    deps.stdout.write(`${config.language === 'de' ? 'Support-Seite' : 'Support page'}: ${ui.url}\n`);
    if (config.face === 'url' || (await deps.openBrowser(ui.url))) return { kind: 'page', close: () => ui.close() };
    await ui.close();
    deps.log.warn({}, `no browser could be opened: using the ${deps.openDialog ? 'native dialog' : 'terminal'}`);
  }
  if (deps.openDialog && config.face !== 'terminal') {
    const title = say(config.language, 'title', { company: clean(deps.branding.companyName) });
    const ui = new DialogUi({ app: deps.app, dialog: deps.openDialog(title), language: config.language, company: deps.branding.companyName });
    return { kind: 'dialog', close: async () => ui.close() };
  }
  const tui = new TerminalUi({ app: deps.app, language: config.language, company: deps.branding.companyName, input: deps.stdin, output: deps.stdout });
  return {
    kind: 'terminal',
    close: async () => tui.close(),
  };
}
