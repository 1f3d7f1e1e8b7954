import { MAX_FAILED_ATTEMPTS, RegistrationError, type CustomerEndpoint, type SecureSession, type SessionEnd } from '@fernhilfe/client';
import { InvariantError, type ControlMessage, type Terms } from '@fernhilfe/protocol';
import { PageFiles } from './files/page-files.js';
import type { Language } from './i18n/index.js';
import { toScreenShareError } from './media/errors.js';
import type { ScreenSender } from './media/screen-sender.js';
import { canMove, endKey, initialState, type ChatEntry, type Phase, type SessionState, type Technician } from './session-state.js';

export const MAX_CHAT_LENGTH = 4000;

/** Everything from outside the store, so that it can run against fakes. */
export interface StoreDeps {
  fetchTerms(): Promise<Terms>;
  openCustomer(termsVersion: string, language: Language): Promise<CustomerEndpoint>;
  createSender(session: SecureSession): ScreenSender;
  /** starts the peer-to-peer upgrade for the session (p2p/direct-path.ts); absent: stays relayed */
  startDirectPath?(session: SecureSession): void;
  language(): Language;
  /** false on plain http (not localhost): the browser then has no screen capture or WebCodecs */
  secureContext(): boolean;
  now?(): number;
}

/**
 * The page's state and the only place that talks to the session: React reads snapshots
 * (useSyncExternalStore) and calls the actions. Every phase change goes through `move`, which
 * refuses a transition the state machine (session-state.ts) does not have.
 */
export class SessionStore {
  private state: SessionState = initialState;
  private readonly listeners = new Set<() => void>();
  private customer: CustomerEndpoint | undefined;
  private session: SecureSession | undefined;
  /** file transfer both ways (files/page-files.ts), attached when the session opens */
  readonly files = new PageFiles();
  private sender: ScreenSender | undefined;
  private chatKey = 0;

  constructor(private readonly deps: StoreDeps) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionState => this.state;

  async loadTerms(): Promise<void> {
    if (this.state.phase !== 'loading') this.move('loading');
    try {
      this.move('terms', { terms: await this.deps.fetchTerms() });
    } catch {
      this.move('load-failed');
    }
  }

  /** The customer agreed: only now is anything registered. */
  async acceptTerms(): Promise<void> {
    const terms = this.state.terms;
    if (!terms || (this.state.phase !== 'terms' && this.state.phase !== 'register-failed')) return;
    this.move('registering', { termsOutdated: false, registerProblem: undefined });
    let customer: CustomerEndpoint;
    try {
      customer = await this.deps.openCustomer(terms.version, this.deps.language());
    } catch (err) {
      const code = err instanceof RegistrationError ? err.reason : 'network';
      if (code === 'terms-outdated') {
        this.move('loading', { termsOutdated: true });
        return this.loadTerms();
      }
      this.move('register-failed', { registerProblem: code === 'rate-limited' ? 'busy' : 'failed' });
      return;
    }
    this.customer = customer;
    customer.on('pairing', (technician) => this.onPairing(technician));
    customer.on('pairing-aborted', () => {
      if (this.state.phase === 'pairing') this.move('waiting');
    });
    customer.on('attempt-failed', ({ failures, remaining }) => this.onAttemptFailed(failures, remaining));
    customer.on('password-rotated', ({ password }) => this.set({ password, rotated: true }));
    customer.on('session', (session) => this.onSession(session));
    customer.on('ended', (end) => this.onEnded(end));
    this.move('waiting', { id: customer.id, password: customer.password, registeredAt: this.now(), receiptToken: customer.receiptToken });
  }

  /** Ends the session, or before a technician connected, the registration. */
  async end(): Promise<void> {
    await this.customer?.end();
  }

  /** Sends a chat message; false when there is nothing to send or no session. */
  sendChat(input: string): boolean {
    const text = input.trim();
    if (!this.session?.isOpen || text.length === 0 || text.length > MAX_CHAT_LENGTH) return false;
    this.session.sendControl({ type: 'chat', text }).catch(() => undefined); // a failed send ends the session, which shows
    this.addChat('customer', text);
    return true;
  }

  async startSharing(): Promise<void> {
    const session = this.session;
    if (this.state.phase !== 'active' || !session || this.state.share.status !== 'off') return;
    if (!this.deps.secureContext()) return this.set({ share: { status: 'off', problem: 'insecure' } });
    const sender = this.deps.createSender(session);
    this.sender = sender;
    sender.on('started', () => this.set({ share: { status: 'on' }, everShared: true }));
    sender.on('stopped', ({ reason }) => {
      if (this.sender === sender) this.sender = undefined;
      if (this.state.phase === 'active') this.set({ share: reason === 'error' ? { status: 'off', problem: 'failed' } : { status: 'off' } });
    });
    this.set({ share: { status: 'starting' } });
    try {
      await sender.start();
    } catch (err) {
      if (this.sender === sender) this.sender = undefined;
      if (this.state.phase === 'active') this.set({ share: { status: 'off', problem: toScreenShareError(err).reason } });
    }
  }

  stopSharing(): void {
    this.sender?.stop();
  }

  private onPairing(technician: Technician): void {
    this.move('pairing', { technician });
  }

  private onAttemptFailed(failures: number, remaining: number): void {
    const patch = { failures, attemptsInRound: MAX_FAILED_ATTEMPTS - remaining };
    if (this.state.phase === 'pairing') this.move('waiting', patch);
    else this.set(patch);
  }

  private onSession(session: SecureSession): void {
    this.session = session;
    this.files.attach(session);
    session.on('control', (message) => this.onControl(message));
    // a dropped connection is restored by the session itself; meanwhile the page says so
    session.on('connection-lost', () => this.set({ reconnecting: true }));
    session.on('reconnected', () => this.set({ reconnecting: false }));
    this.deps.startDirectPath?.(session);
    this.move('active', { sas: session.sas, password: undefined, connectedAt: this.now(), connectedTechnician: this.state.technician });
  }

  private onControl(message: ControlMessage): void {
    switch (message.type) {
      case 'chat':
        return this.addChat('technician', message.text);
      case 'video-ack':
      case 'keyframe-request':
        return this.sender?.handleControl(message);
      // the browser page shares the screen only: it cannot be controlled or share the clipboard
      case 'control-request':
        return void this.session?.sendControl({ type: 'control-refused', reason: 'unsupported' }).catch(() => undefined);
      case 'clipboard-request':
        return void this.session?.sendControl({ type: 'clipboard-refused', reason: 'unsupported' }).catch(() => undefined);
      default:
        return; // ping is answered by the session; the rest is not for the customer
    }
  }

  private onEnded(end: SessionEnd): void {
    this.sender?.stop('session-ended');
    this.sender = undefined;
    const hadSession = this.session !== undefined;
    this.customer = undefined;
    this.session = undefined;
    this.move('ended', { endedAt: this.now(), endKey: endKey(end, hadSession), password: undefined, share: { status: 'off' }, reconnecting: false });
  }

  private addChat(from: ChatEntry['from'], text: string): void {
    this.set({ chat: [...this.state.chat, { key: this.chatKey++, from, text, at: this.now() }] });
  }

  private move(to: Phase, patch: Partial<SessionState> = {}): void {
    const from = this.state.phase;
    if (!canMove(from, to)) throw new InvariantError(`impossible transition ${from} -> ${to}`);
    this.set({ ...patch, phase: to });
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
