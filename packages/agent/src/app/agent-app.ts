import { Emitter, MAX_FAILED_ATTEMPTS, RegistrationError, type CustomerEndpoint, type SecureSession, type SessionEnd } from '@fernhilfe/client';
import type { ControlMessage, FromPage, GrantName, Terms, ViewState } from '@fernhilfe/protocol';
import type { Grant } from '../consent/types.js';
import { loadNodeWebRtc, startAgentDirectPath } from '../p2p/direct-path.js';
import { runFeatures } from '../session/wiring.js';
import { AgentFiles } from './agent-files.js';
import { AgentError } from './errors.js';
import { listenerErrorsTo, type Log } from './log.js';
import { TransitionError, canMove, initialViewState } from './phases.js';
import type { ConsentPort, KitSource } from './session-kit.js';

export const MAX_CHAT_LENGTH = 4000;

export interface AppDeps {
  fetchTerms(): Promise<Terms>;
  openCustomer(termsVersion: string, language: 'de' | 'en'): Promise<CustomerEndpoint>;
  kit: KitSource;
  log: Log;
  now?(): number;
  /** the address of the receipt for a receipt token (the server's /receipt page; docs/audit.md) */
  receiptUrl?(token: string): string;
}

export interface AppEvents extends Record<string, unknown> {
  /** a new snapshot for the UI */
  state: ViewState;
  /** the session (or the registration) is over; the state is final */
  ended: ViewState;
}

type Decision = Extract<FromPage, { type: 'consent' }>['decision'];

/**
 * The agent's session lifecycle: terms, registration, pairing, the encrypted session with its
 * features and consent, chat, the end. The UIs (ui/ and tui/) render `state` and call the
 * handle*() methods with what the customer did; nothing here knows how it is shown.
 */
export class AgentApp extends Emitter<AppEvents> {
  private view: ViewState = initialViewState;
  private customer: CustomerEndpoint | undefined;
  private session: SecureSession | undefined;
  private consent: ConsentPort | undefined;
  private stopFeatures: (() => Promise<void>) | undefined;
  private chatKey = 0;
  /** file transfer as the faces show it (offers, progress, the list); fed by the session's FileFeature */
  readonly files: AgentFiles;

  constructor(private readonly deps: AppDeps) {
    super(listenerErrorsTo(deps.log));
    this.files = new AgentFiles(deps.log);
  }

  get state(): ViewState {
    return this.view;
  }

  /** read through a getter: the phase changes while awaiting, which TypeScript's narrowing does not know */
  private get phase(): ViewState['phase'] {
    return this.view.phase;
  }

  async loadTerms(): Promise<void> {
    if (this.view.phase === 'ended') return;
    if (this.view.phase !== 'loading') this.move('loading');
    try {
      const terms = await this.deps.fetchTerms();
      if (this.view.phase === 'loading') this.move('terms', { terms });
    } catch (err) {
      const e = AgentError.from(err);
      this.deps.log.warn({ reason: e.reason, detail: e.detail }, 'loading the terms failed');
      if (this.view.phase === 'loading') this.move('load-failed');
    }
  }

  /** The customer agreed to the terms of `version`: only now is anything registered. */
  async handleAcceptTerms(version: string, language: 'de' | 'en'): Promise<void> {
    const terms = this.view.terms;
    if (!terms || (this.view.phase !== 'terms' && this.view.phase !== 'register-failed')) return;
    if (version !== terms.version) return; // accepted a text we no longer show: ignore, the page has the new one
    this.move('registering', { termsOutdated: false, registerProblem: undefined });
    let customer: CustomerEndpoint;
    try {
      customer = await this.deps.openCustomer(terms.version, language);
    } catch (err) {
      const code = err instanceof RegistrationError ? err.reason : 'network';
      this.deps.log.warn({ code }, 'registration failed');
      if (this.phase !== 'registering') return;
      if (code === 'terms-outdated') {
        this.move('loading', { termsOutdated: true });
        return this.loadTerms();
      }
      this.move('register-failed', { registerProblem: code === 'rate-limited' ? 'busy' : 'failed' });
      return;
    }
    if (this.phase !== 'registering') {
      void customer.end(); // ended while registering
      return;
    }
    this.customer = customer;
    customer.on('pairing', (technician) => this.move('pairing', { technician }));
    customer.on('pairing-aborted', () => {
      if (this.view.phase === 'pairing') this.move('waiting');
    });
    customer.on('attempt-failed', ({ failures, remaining }) => {
      const patch = { failures, attemptsInRound: MAX_FAILED_ATTEMPTS - remaining };
      if (this.view.phase === 'pairing') this.move('waiting', patch);
      else this.set(patch);
    });
    customer.on('password-rotated', ({ password }) => this.set({ password, rotated: true }));
    customer.on('session', (session) => this.onSession(session));
    customer.on('ended', (end) => void this.onEnded(end));
    this.deps.log.info({}, 'registered');
    void loadNodeWebRtc(); // loaded before a technician's first offer can arrive (docs/p2p.md)
    const receiptUrl = customer.receiptToken && this.deps.receiptUrl ? this.deps.receiptUrl(customer.receiptToken) : undefined;
    this.move('waiting', { id: customer.id, password: customer.password, registeredAt: this.now(), ...(receiptUrl ? { receiptUrl } : {}) });
  }

  handleConsent(what: GrantName, decision: Decision): void {
    const consent = this.consent;
    if (!consent || this.view.phase !== 'active') return;
    const grant: Grant = what;
    const act = { allow: () => consent.allow(grant), refuse: () => consent.refuse(grant), revoke: () => consent.revoke(grant) } satisfies Record<Decision, () => void>;
    act[decision]();
    this.set({ consent: { ...this.view.consent, pending: this.view.consent.pending.filter((p) => p !== what), granted: consent.granted() } });
  }

  /** Sends a chat message; false when there is nothing to send or no session. */
  handleChat(input: string): boolean {
    const text = input.trim();
    if (!this.session?.isOpen || text.length === 0 || text.length > MAX_CHAT_LENGTH) return false;
    this.session.sendControl({ type: 'chat', text }).catch(() => undefined); // a failed send ends the session, which shows
    this.addChat('customer', text);
    return true;
  }

  /** Ends the session, the registration, or (before either) the agent. Works at any moment. */
  async handleEnd(): Promise<void> {
    if (this.view.phase === 'ended') return;
    if (this.customer) return this.customer.end();
    await this.finish({ reason: 'ended-by-customer', by: 'local' });
  }

  private onSession(session: SecureSession): void {
    this.session = session;
    const kit = this.deps.kit.make();
    this.consent = kit.consent;
    session.on('control', (message) => this.onControl(message));
    session.on('connection-lost', () => this.set({ reconnecting: true }));
    session.on('reconnected', () => this.set({ reconnecting: false }));
    if (kit.consent) {
      const consent = kit.consent;
      consent.on('requested', ({ what }) => {
        if (this.view.phase !== 'active' || this.view.consent.pending.includes(what)) return;
        // nothing here could act on it (e.g. no X display): say so at once instead of asking the customer
        if (!this.view.consent.available.includes(what)) return void session.sendControl({ type: what === 'control' ? 'control-refused' : 'clipboard-refused', reason: 'unsupported' }).catch(() => undefined);
        this.set({ consent: { ...this.view.consent, pending: [...this.view.consent.pending, what] } });
      });
      consent.on('withdrawn', ({ what }) => this.set({ consent: { ...this.view.consent, pending: this.view.consent.pending.filter((p) => p !== what) } }));
      consent.on('changed', (granted) => this.set({ consent: { ...this.view.consent, granted: { ...granted } } }));
    }
    this.stopFeatures = runFeatures(session, kit.features, this.deps.log);
    if (kit.files) this.files.attach(kit.files, session.filePolicy); // after the start: the feature's manager exists
    startAgentDirectPath(session, this.deps.log).catch((err: unknown) => this.deps.log.error({ err }, 'the direct path could not start'));
    this.deps.log.info({ features: kit.features.map((f) => f.name) }, 'session open');
    this.move('active', {
      sas: session.sas,
      password: undefined,
      connectedAt: this.now(),
      connectedTechnician: this.view.technician,
      screenShared: this.deps.kit.screen,
      consent: { available: kit.consent ? this.deps.kit.grants : [], granted: kit.consent?.granted() ?? { control: false, clipboard: false }, pending: [] },
    });
  }

  private onControl(message: ControlMessage): void {
    if (message.type === 'chat') this.addChat('technician', message.text);
  }

  private async onEnded(end: SessionEnd): Promise<void> {
    await this.finish(end);
  }

  private async finish(end: SessionEnd): Promise<void> {
    if (this.view.phase === 'ended') return;
    const hadSession = this.session !== undefined;
    const stop = this.stopFeatures;
    this.customer = undefined;
    this.session = undefined;
    this.consent = undefined;
    this.stopFeatures = undefined;
    await stop?.();
    this.files.detach();
    const endKey = end.reason === 'ended-by-customer' && !hadSession ? 'ended-before-start' : end.reason;
    this.deps.log.info({ reason: end.reason, by: end.by }, 'ended');
    this.move('ended', {
      endedAt: this.now(),
      endKey,
      password: undefined,
      reconnecting: false,
      consent: { ...this.view.consent, granted: { control: false, clipboard: false }, pending: [] },
    });
    this.emit('ended', this.view);
  }

  private addChat(from: 'customer' | 'technician', text: string): void {
    this.set({ chat: [...this.view.chat, { key: this.chatKey++, from, text, at: this.now() }] });
  }

  private move(to: ViewState['phase'], patch: Partial<ViewState> = {}): void {
    const from = this.view.phase;
    if (!canMove(from, to)) throw new TransitionError(from, to);
    this.set({ ...patch, phase: to });
  }

  private set(patch: Partial<ViewState>): void {
    const next: ViewState = { ...this.view, ...patch };
    // optional fields set to undefined are dropped, so that the snapshot is plain JSON
    for (const key of Object.keys(next) as (keyof ViewState)[]) if (next[key] === undefined) delete next[key];
    this.view = next;
    this.emit('state', next);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
