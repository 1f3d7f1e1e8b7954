import type { Readable, Writable } from 'node:stream';
import { CustomerEndpoint } from '@fernhilfe/client';
import { ApiClient, DEFAULT_BRANDING, type Branding, type Capability } from '@fernhilfe/protocol';
import type { AgentConfig } from '../config/config.js';
import { RequestNotifications } from '../notify/request-notifications.js';
import { PanelNotice } from '../panel/notice.js';
import { PanelUi } from '../panel/panel-ui.js';
import type { UiAsset } from '../ui/assets.js';
import { createAgentApp } from './agent-app.js';
import { ElevationWatch, type ElevationSource } from './elevation-watch.js';
import { openFace, type FaceDeps } from './face.js';
import type { Log } from './log.js';
import type { KitSource } from './session-kit.js';
import { nodeTransport } from './transport.js';

export interface RunDeps {
  log: Log;
  kit: KitSource;
  assets: () => Promise<Map<string, UiAsset>>;
  openBrowser: (url: string) => Promise<boolean>;
  stdin: Readable;
  stdout: Writable;
  /** SIGINT, SIGTERM, SIGHUP: end the session cleanly */
  onSignal: (handler: () => void) => void;
  /** FERNHILFE_AGENT_PAGE_GRACE_MS, default 60 s */
  pageGraceMs?: number;
  /** the fetch for the server's API; default the global one (Windows: app/http-fetch.ts) */
  fetch?: typeof fetch;
  /** a native window for the customer where the platform has one (FaceDeps.openDialog) */
  openDialog?: FaceDeps['openDialog'];
  /** Windows: who runs elevated, and the restart as administrator */
  elevation?: ElevationSource;
}

/** What the agent tells the server it can do (for the technician's console). */
export function capabilities(kit: KitSource): Capability[] {
  return ['chat', ...(kit.screen ? (['screen'] as const) : []), ...kit.grants];
}

/**
 * One run of the agent, from start to exit: branding and terms from the server, the customer's
 * face, registration after the terms are accepted, the session, the end. Resolves with the exit
 * code once everything is closed; nothing is written anywhere but stdout/stderr.
 */
export async function runAgent(config: AgentConfig, deps: RunDeps): Promise<number> {
  // the native program talks to exactly its server: no redirects
  const api = new ApiClient(config.server.origin, { timeoutMs: 15_000, redirect: 'error', ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  // no branding (or an odd one): the default look
  const branding = await api.call('branding').catch((): Branding => ({ ...DEFAULT_BRANDING }));
  const panelNotice = new PanelNotice();
  const app = createAgentApp({
    panelNotice,
    api: { terms: () => api.call('terms') },
    openCustomer: (termsVersion, language, join) =>
      CustomerEndpoint.open({ url: api.customerUrl(), transport: nodeTransport, termsVersion, language, capabilities: capabilities(deps.kit), ...(join ? { case: join.join, password: join.password } : {}) }),
    kit: deps.kit,
    log: deps.log,
    receiptUrl: (token) => new URL(`/receipt#token=${token}`, config.server).href,
  });
  const ended = app.flow.once('ended');
  // the always-on-top session panel (docs/session-panel.md), where the platform has one
  const openPanel = deps.kit.openPanel?.bind(deps.kit);
  const panel = openPanel ? new PanelUi({ app, language: config.language, branding, openWindow: openPanel, notice: panelNotice, log: deps.log }) : undefined;
  // no panel (Wayland): the customer's questions also come as desktop notifications (docs/agent-wayland.md)
  const openNotifier = panel ? undefined : deps.kit.openNotifier?.bind(deps.kit);
  const notes = openNotifier ? new RequestNotifications({ app, language: config.language, companyName: branding.companyName, openNotifier, log: deps.log }) : undefined;
  const elevation = deps.elevation ? new ElevationWatch(app.flow, deps.elevation, deps.log) : undefined;
  const face = await openFace(config, {
    app,
    branding,
    log: deps.log,
    assets: deps.assets,
    openBrowser: deps.openBrowser,
    stdin: deps.stdin,
    stdout: deps.stdout,
    pageGraceMs: deps.pageGraceMs ?? 60_000,
    ...(deps.openDialog ? { openDialog: deps.openDialog } : {}),
    ...(elevation ? { elevation } : {}),
  });
  deps.onSignal(() => void app.flow.end());
  void app.flow.loadTerms();
  const final = await ended;
  // the page keeps showing the summary; the agent goes
  elevation?.close();
  await panel?.close();
  await notes?.close();
  await face.close();
  deps.log.info({ reason: final.endKey }, 'agent exits');
  return 0;
}
