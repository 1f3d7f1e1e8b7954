import { deriveCaseKeys, encryptCaseDescription, formatCaseCode, Emitter, initialFlowState, type CaseCredentials, type ControlMessage, type CustomerFlowState, type FlowPhase, type GrantName, MAX_FAILED_ATTEMPTS } from '@fernhilfe/protocol';
import type { CustomerEndpoint } from '../customer.js';
import { RegistrationError, type SessionEnd } from '../errors.js';
import type { SecureSession } from '../secure-session.js';
import type { FlowDeps, ScreenSenderPort, SessionParts } from './ports.js';
import { RecordingConsent } from './recording-consent.js';
import { TransitionError, canMove } from './transitions.js';

export const MAX_CHAT_LENGTH = 4000;

export interface FlowEvents extends Record<string, unknown> {
  /** a new snapshot for the views */
  state: CustomerFlowState;
  /** the session (or the registration) is over; the state is final */
  ended: CustomerFlowState;
}

export type ConsentDecision = 'allow' | 'refuse' | 'revoke';

/**
 * The customer's whole journey as one state machine: terms, registration (ID and password shown),
 * a technician connecting, failed attempts and the new password after too many, the encrypted
 * session with its consents, chat, reconnecting, and the end. Every phase change goes through
 * `move`, which refuses a transition the table (transitions.ts) does not have. The views (the web
 * page, the native agent's page and terminal) render `state` and call the actions; nothing here
 * knows how it is shown, and all I/O comes through `deps` (ports.ts).
 */
export class CustomerFlow extends Emitter<FlowEvents> {
  private view: CustomerFlowState = initialFlowState;
  private customer: CustomerEndpoint | undefined;
  private session: SecureSession | undefined;
  private parts: SessionParts | undefined;
  private sender: ScreenSenderPort | undefined;
  private chatKey = 0;
  private recording: RecordingConsent | undefined;

  constructor(private readonly deps: FlowDeps) {
    super(deps.onListenerError);
  }

  get state(): CustomerFlowState {
    return this.view;
  }

  /** a method, not a field: the phase changes while awaiting, which TypeScript's narrowing does not know */
  private phase(): FlowPhase {
    return this.view.phase;
  }

  async loadTerms(): Promise<void> {
    if (this.phase() === 'ended') return;
    if (this.phase() !== 'loading') this.move('loading');
    try {
      const terms = await this.deps.api.terms();
      if (this.phase() === 'loading') this.move('terms', { terms });
    } catch (err) {
      this.deps.log?.warn({ err }, 'loading the terms failed');
      if (this.phase() === 'loading') this.move('load-failed');
    }
  }

  /**
   * The customer agreed to the terms (of `version`, when the view says which): only now is anything
   * registered. With `supportCase` the customer joins that case (docs/cases.md): the description is
   * sealed here under a key from the case secret, and the secret is the session's password.
   */
  async acceptTerms(language: 'de' | 'en', version?: string, supportCase?: { credentials: CaseCredentials; description: string }): Promise<void> {
    const terms = this.view.terms;
    if (!terms || (this.phase() !== 'terms' && this.phase() !== 'register-failed')) return;
    if (version !== undefined && version !== terms.version) return; // accepted a text we no longer show
    this.move('registering', { termsOutdated: false, registerProblem: undefined });
    let customer: CustomerEndpoint;
    try {
      customer = await this.deps.register(terms.version, language, supportCase ? await caseRegistration(supportCase.credentials, supportCase.description) : undefined);
    } catch (err) {
      const code = err instanceof RegistrationError ? err.reason : 'network';
      this.deps.log?.warn({ code }, 'registration failed');
      if (this.phase() !== 'registering') return;
      if (code === 'terms-outdated') {
        this.move('loading', { termsOutdated: true });
        return this.loadTerms();
      }
      this.move('register-failed', { registerProblem: code === 'rate-limited' ? 'busy' : code === 'case-refused' ? 'case-refused' : 'failed' });
      return;
    }
    if (this.phase() !== 'registering') return void customer.end(); // ended while registering
    this.customer = customer;
    customer.on('pairing', (technician) => this.move('pairing', { technician }));
    customer.on('pairing-aborted', () => {
      if (this.phase() === 'pairing') this.move('waiting');
    });
    customer.on('attempt-failed', ({ failures, remaining }) => {
      const patch = { failures, attemptsInRound: MAX_FAILED_ATTEMPTS - remaining };
      if (this.phase() === 'pairing') this.move('waiting', patch);
      else this.set(patch);
    });
    customer.on('password-rotated', ({ password }) => this.set({ password, rotated: true }));
    customer.on('session', (session) => this.onSession(session));
    customer.on('ended', (end) => void this.finish(end));
    this.deps.log?.info({}, 'registered');
    const token = customer.receiptToken;
    const receiptUrl = token && this.deps.receiptUrl ? this.deps.receiptUrl(token) : undefined;
    const joined = supportCase && customer.caseTechnician !== undefined ? { case: { code: formatCaseCode(supportCase.credentials), technician: customer.caseTechnician } } : {};
    this.move('waiting', { id: customer.id, password: customer.password, registeredAt: this.now(), receiptToken: receiptUrl ? undefined : token, receiptUrl, ...joined });
  }

  /** Ends the session, the registration, or (before either) the journey. Works at any moment. */
  async end(): Promise<void> {
    if (this.phase() === 'ended') return;
    if (this.customer) return this.customer.end();
    await this.finish({ reason: 'ended-by-customer', by: 'local' });
  }

  /** Sends a chat message; false when there is nothing to send or no session. */
  sendChat(input: string): boolean {
    const text = input.trim();
    if (!this.session?.isOpen || text.length === 0 || text.length > MAX_CHAT_LENGTH) return false;
    this.session.sendControl({ type: 'chat', text }).catch(() => undefined); // a failed send ends the session, which shows
    this.addChat('customer', text);
    return true;
  }

  /** The customer's answer to a request for control or the clipboard, or taking a grant back. */
  decide(what: GrantName, decision: ConsentDecision): void {
    if (what === 'recording') return this.decideRecording(decision);
    const consent = this.parts?.consent;
    if (!consent || this.phase() !== 'active') return;
    const act = { allow: () => consent.allow(what), refuse: () => consent.refuse(what), revoke: () => consent.revoke(what) } satisfies Record<ConsentDecision, () => void>;
    act[decision]();
    this.setConsent({ pending: this.view.consent.pending.filter((p) => p !== what), granted: { ...consent.granted(), recording: this.recording?.granted ?? false } });
  }

  private decideRecording(decision: ConsentDecision): void {
    const recording = this.recording;
    const session = this.session;
    if (!recording || !session || this.phase() !== 'active') return;
    const { changed, end } = recording.decide(decision);
    if (!changed) return;
    this.setConsent({ pending: this.view.consent.pending.filter((p) => p !== 'recording'), granted: { ...this.view.consent.granted, recording: recording.granted } });
    // the operator requires recording: refusing it ends the session, with that reason on both sides
    if (end) void session.end('recording-refused');
  }

  private onRecordingControl(message: Extract<ControlMessage, { type: 'recording-request' | 'recording-release' }>): void {
    const recording = this.recording;
    if (!recording || this.phase() !== 'active') return;
    const { consent } = this.view;
    if (message.type === 'recording-request') {
      if (recording.request(message.required)) this.setConsent({ pending: [...consent.pending, 'recording'], recordingRequired: message.required });
      return;
    }
    recording.release();
    this.setConsent({ pending: consent.pending.filter((p) => p !== 'recording'), granted: { ...consent.granted, recording: false } });
  }

  /** Shares the screen where the customer starts it (the browser page). */
  async startSharing(): Promise<void> {
    const screen = this.parts?.screen;
    if (this.phase() !== 'active' || !screen || this.view.share.status !== 'off') return;
    const problem = screen.unavailable();
    if (problem) return this.set({ share: { status: 'off', problem } });
    const sender = screen.create();
    this.sender = sender;
    sender.on('started', () => this.set({ share: { status: 'on' }, everShared: true }));
    sender.on('stopped', ({ reason }) => {
      if (this.sender === sender) this.sender = undefined;
      if (this.phase() === 'active') this.set({ share: reason === 'error' ? { status: 'off', problem: 'failed' } : { status: 'off' } });
    });
    this.set({ share: { status: 'starting' } });
    try {
      await sender.start();
    } catch (err) {
      if (this.sender === sender) this.sender = undefined;
      if (this.phase() === 'active') this.set({ share: { status: 'off', problem: screen.problemOf(err) } });
    }
  }

  stopSharing(): void {
    this.sender?.stop();
  }

  private onSession(session: SecureSession): void {
    this.session = session;
    this.recording = new RecordingConsent(
      (message) => void session.sendControl(message).catch(() => undefined),
      (report) => session.report(report),
    );
    session.on('control', (message) => this.onControl(message));
    // a dropped connection is restored by the session itself; meanwhile the views say so
    session.on('connection-lost', () => this.set({ reconnecting: true }));
    session.on('reconnected', () => this.set({ reconnecting: false }));
    const parts = this.deps.openSession(session);
    this.parts = parts;
    const consent = parts.consent;
    if (consent) {
      consent.on('requested', ({ what }) => {
        if (this.phase() !== 'active' || this.view.consent.pending.includes(what)) return;
        // nothing here could act on it (e.g. no X display): say so at once instead of asking the customer
        if (!this.view.consent.available.includes(what) && what !== 'recording') return this.refuseUnsupported(what);
        this.setConsent({ pending: [...this.view.consent.pending, what] });
      });
      consent.on('withdrawn', ({ what }) => this.setConsent({ pending: this.view.consent.pending.filter((p) => p !== what) }));
      consent.on('changed', (granted) => this.setConsent({ granted: { ...granted, recording: this.recording?.granted ?? false } }));
    }
    this.deps.log?.info({}, 'session open');
    this.move('active', {
      sas: session.sas,
      password: undefined,
      connectedAt: this.now(),
      connectedTechnician: this.view.technician,
      share: parts.sharesScreen ? { status: 'on' } : { status: 'off' },
      everShared: parts.sharesScreen === true,
      consent: { available: [...(consent ? parts.grants : []), 'recording'], granted: { ...(consent?.granted() ?? { control: false, clipboard: false }), recording: false }, pending: [] },
    });
  }

  private onControl(message: ControlMessage): void {
    switch (message.type) {
      case 'chat':
        return this.addChat('technician', message.text);
      case 'video-ack':
      case 'keyframe-request':
        return this.sender?.handleControl(message);
      // without a consent manager (the browser page shares the screen only) nothing can be granted
      case 'control-request':
        return this.parts?.consent ? undefined : this.refuseUnsupported('control');
      case 'clipboard-request':
        return this.parts?.consent ? undefined : this.refuseUnsupported('clipboard');
      case 'recording-request':
      case 'recording-release':
        return this.onRecordingControl(message);
      default:
        return; // ping is answered by the session; the rest is for the platform's features
    }
  }

  private refuseUnsupported(what: 'control' | 'clipboard'): void {
    void this.session?.sendControl({ type: what === 'control' ? 'control-refused' : 'clipboard-refused', reason: 'unsupported' }).catch(() => undefined);
  }

  private async finish(end: SessionEnd): Promise<void> {
    if (this.phase() === 'ended') return;
    const hadSession = this.session !== undefined;
    const parts = this.parts;
    this.sender?.stop('session-ended');
    this.sender = undefined;
    this.customer = undefined;
    this.session = undefined;
    this.parts = undefined;
    this.recording = undefined;
    if (parts?.close) {
      await parts.close();
      if (this.phase() === 'ended') return;
    }
    this.deps.log?.info({ reason: end.reason, by: end.by }, 'ended');
    this.move('ended', {
      endedAt: this.now(),
      endKey: endKey(end, hadSession),
      password: undefined,
      reconnecting: false,
      share: { status: 'off' },
      consent: { ...this.view.consent, granted: { control: false, clipboard: false, recording: false }, pending: [] },
    });
    this.emit('ended', this.view);
  }

  private setConsent(patch: Partial<CustomerFlowState['consent']>): void {
    this.set({ consent: { ...this.view.consent, ...patch } });
  }

  private addChat(from: 'customer' | 'technician', text: string): void {
    this.set({ chat: [...this.view.chat, { key: this.chatKey++, from, text, at: this.now() }] });
  }

  private move(to: FlowPhase, patch: Partial<CustomerFlowState> = {}): void {
    const from = this.phase();
    if (!canMove(from, to)) throw new TransitionError(from, to);
    this.set({ ...patch, phase: to });
  }

  private set(patch: Partial<CustomerFlowState>): void {
    this.view = { ...this.view, ...patch };
    this.emit('state', this.view);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

/** What `register` sends to join a case, and the password (the secret); the slow KDF runs here. */
async function caseRegistration(credentials: CaseCredentials, description: string): Promise<{ join: { id: string; proof: string; description: string }; password: string }> {
  const keys = await deriveCaseKeys(credentials);
  const sealed = await encryptCaseDescription(keys, credentials.caseId, description);
  return { join: { id: credentials.caseId, proof: keys.joinProof, description: sealed }, password: credentials.secret };
}

/** The sentence for an end: "you ended it" reads differently when nobody had connected yet. */
export function endKey(end: SessionEnd, hadSession: boolean): CustomerFlowState['endKey'] {
  if (end.reason === 'ended-by-customer' && !hadSession) return 'ended-before-start';
  return end.reason;
}
