import type { Readable, Writable } from 'node:stream';
import type { Branding } from '@fernhilfe/protocol';
import type { AgentConfig } from '../config/config.js';
import { TerminalUi } from '../tui/terminal-ui.js';
import type { UiAsset } from '../ui/assets.js';
import { UiServer } from '../ui/ui-server.js';
import type { AgentApp } from './agent-app.js';
import type { Log } from './log.js';

/** The customer's face: the page in their browser, or the terminal. */
export interface Face {
  kind: 'page' | 'terminal';
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
}

/**
 * Starts the face the configuration asks for: the local page (opened in the browser, or only its
 * address printed with --no-browser), or the terminal UI; without a browser to open, the terminal.
 */
export async function openFace(config: AgentConfig, deps: FaceDeps): Promise<Face> {
  if (config.face !== 'terminal') {
    const ui = await UiServer.start({
      app: deps.app,
      assets: await deps.assets(),
      branding: deps.branding,
      language: config.language,
      log: deps.log,
      pageGraceMs: deps.pageGraceMs,
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
    deps.log.warn({}, 'no browser could be opened: using the terminal');
  }
  const tui = new TerminalUi({ app: deps.app, language: config.language, company: deps.branding.companyName, input: deps.stdin, output: deps.stdout });
  return {
    kind: 'terminal',
    close: async () => tui.close(),
  };
}
