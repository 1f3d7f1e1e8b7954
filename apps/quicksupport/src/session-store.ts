import { CustomerFlow, type CaseRegistration, type ConsentDecision, type CustomerEndpoint, type FlowApi, type SecureSession } from '@fernhilfe/client';
import type { CaseCredentials, CustomerFlowState, GrantName } from '@fernhilfe/protocol';
import { PageFiles } from './files/page-files.js';
import type { Language } from './i18n/index.js';
import { toScreenShareError } from './media/errors.js';
import type { ScreenSender } from './media/screen-sender.js';
import type { PageStore } from './page-store.js';

/** Everything from outside the store, so that it can run against fakes. */
export interface StoreDeps {
  /** the server's HTTP API as far as the page's session needs it (the terms) */
  api: FlowApi;
  openCustomer(termsVersion: string, language: Language, join?: CaseRegistration): Promise<CustomerEndpoint>;
  createSender(session: SecureSession): ScreenSender;
  /** starts the peer-to-peer upgrade for the session (p2p/direct-path.ts); absent: stays relayed */
  startDirectPath?(session: SecureSession): void;
  language(): Language;
  /** false on plain http (not localhost): the browser then has no screen capture or WebCodecs */
  secureContext(): boolean;
  now?(): number;
}

/**
 * The page's store in the browser: a CustomerFlow (@fernhilfe/client) run in this tab, whose state
 * React reads as snapshots. The browser's parts of a session are its screen sharing (on the
 * customer's click), its file transfer and the direct path; it grants neither control nor the clipboard.
 */
export class SessionStore implements PageStore {
  private readonly flow: CustomerFlow;
  /** file transfer both ways (files/page-files.ts), attached when the session opens */
  readonly files = new PageFiles();

  constructor(private readonly deps: StoreDeps) {
    this.flow = new CustomerFlow({
      api: deps.api,
      register: (termsVersion, language, join) => deps.openCustomer(termsVersion, language, join),
      openSession: (session) => {
        this.files.attach(session);
        deps.startDirectPath?.(session);
        return {
          grants: [],
          screen: {
            unavailable: () => (deps.secureContext() ? undefined : 'insecure'),
            create: () => deps.createSender(session),
            problemOf: (err) => toScreenShareError(err).reason,
          },
        };
      },
      ...(deps.now ? { now: deps.now } : {}),
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => this.flow.on('state', () => listener());

  readonly getSnapshot = (): CustomerFlowState => this.flow.state;

  loadTerms(): Promise<void> {
    return this.flow.loadTerms();
  }

  /** The customer agreed: only now is anything registered. */
  acceptTerms(supportCase?: { credentials: CaseCredentials; description: string }): Promise<void> {
    return this.flow.acceptTerms(this.deps.language(), undefined, supportCase);
  }

  end(): Promise<void> {
    return this.flow.end();
  }

  sendChat(input: string): boolean {
    return this.flow.sendChat(input);
  }

  startSharing(): Promise<void> {
    return this.flow.startSharing();
  }

  stopSharing(): void {
    this.flow.stopSharing();
  }

  decide(what: GrantName, decision: ConsentDecision): void {
    this.flow.decide(what, decision);
  }
}
