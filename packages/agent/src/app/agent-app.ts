import { CustomerFlow, type CaseRegistration, type CustomerEndpoint, type FlowApi } from '@fernhilfe/client';
import { loadNodeWebRtc, startAgentDirectPath } from '../p2p/direct-path.js';
import { runFeatures } from '../session/wiring.js';
import type { PanelNotice } from '../panel/notice.js';
import { AgentFiles } from './agent-files.js';
import { listenerErrorsTo, type Log } from './log.js';
import type { KitSource } from './session-kit.js';

export interface AppDeps {
  /** the server's HTTP API as far as the flow needs it (the terms) */
  api: FlowApi;
  /** `join`: a support case (docs/cases.md) */
  openCustomer(termsVersion: string, language: 'de' | 'en', join?: CaseRegistration): Promise<CustomerEndpoint>;
  kit: KitSource;
  log: Log;
  now?(): number;
  /** the address of the receipt for a receipt token (the server's /receipt page; docs/audit.md) */
  receiptUrl?(token: string): string;
  /** tells the technician whether the customer sees the session panel (panel/notice.ts) */
  panelNotice?: PanelNotice;
}

/** The agent's session as its faces see it: the customer's journey and the file transfers. */
export interface AgentApp {
  flow: CustomerFlow;
  /** file transfer as the faces show it (offers, progress, the list); fed by the session's FileFeature */
  files: AgentFiles;
}

/**
 * The customer's journey (@fernhilfe/client's CustomerFlow) with the agent's parts of a session:
 * the features of its kit (screen, input, clipboard, files; consent before control and the
 * clipboard), started when the encrypted session opens and stopped at its end, and the direct
 * path. The faces (ui/ and tui/) render `flow.state` and call the flow's actions.
 */
export function createAgentApp(deps: AppDeps): AgentApp {
  const files = new AgentFiles(deps.log);
  const flow = new CustomerFlow({
    api: deps.api,
    register: async (termsVersion, language, join) => {
      const customer = await deps.openCustomer(termsVersion, language, join);
      void loadNodeWebRtc(); // loaded before a technician's first offer can arrive (docs/p2p.md)
      return customer;
    },
    openSession: (session) => {
      const kit = deps.kit.make();
      const stopFeatures = runFeatures(session, kit.features, deps.log);
      if (kit.files) files.attach(kit.files, session.filePolicy); // after the start: the feature's manager exists
      const detachNotice = deps.panelNotice?.attach((m) => void session.sendControl(m).catch(() => undefined));
      startAgentDirectPath(session, deps.log).catch((err: unknown) => deps.log.error({ err }, 'the direct path could not start'));
      deps.log.info({ features: kit.features.map((f) => f.name) }, 'session features');
      return {
        ...(kit.consent ? { consent: kit.consent } : {}),
        grants: deps.kit.grants,
        sharesScreen: deps.kit.screen,
        close: async () => {
          detachNotice?.();
          await stopFeatures();
          files.detach();
        },
      };
    },
    log: deps.log,
    onListenerError: listenerErrorsTo(deps.log),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.receiptUrl ? { receiptUrl: deps.receiptUrl } : {}),
  });
  return { flow, files };
}
