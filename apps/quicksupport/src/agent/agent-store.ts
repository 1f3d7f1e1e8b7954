import { InvariantError, type FromPage, type GrantName, type ViewState } from '@fernhilfe/protocol';
import { currentLanguage } from '../i18n/index.js';
import { initialState, type SessionState } from '../session-state.js';
import { MAX_CHAT_LENGTH, SessionStore, type StoreDeps } from '../session-store.js';
import { AgentPageFiles } from './agent-files.js';
import { AgentLink } from './agent-link.js';

type Decision = Extract<FromPage, { type: 'consent' }>['decision'];

/** The agent does the work; the browser's own session parts are never used in agent mode. */
const unused = (): never => {
  throw new InvariantError('not used in agent mode');
};
const inertDeps: StoreDeps = { fetchTerms: unused, openCustomer: unused, createSender: unused, language: () => currentLanguage(), secureContext: () => true };

export interface AgentExtras {
  /** what the customer is asked and has allowed; undefined until the agent's first state */
  consent: ViewState['consent'] | undefined;
  /** the agent shares the X screen */
  screenShared: boolean;
  /** the agent has exited (after the end) or vanished */
  agentGone: boolean;
}

/**
 * The page's store when it is the face of the native agent: the same surface the components use
 * (SessionStore's actions and snapshots), but the agent on this machine holds the session. Its
 * state arrives over the local WebSocket and each click goes back as a message. Screen sharing is
 * the agent's job, so the sharing actions do nothing here.
 */
export class AgentStore extends SessionStore {
  private view: SessionState = initialState;
  private extras: AgentExtras = { consent: undefined, screenShared: false, agentGone: false };
  private readonly agentListeners = new Set<() => void>();
  private readonly link: AgentLink;
  /** file transfer run by the agent, shown with the browser page's files card */
  readonly agentFiles: AgentPageFiles;

  constructor(connect: typeof AgentLink.connect = AgentLink.connect) {
    super(inertDeps);
    this.agentFiles = new AgentPageFiles(
      (m) => this.link.send(m),
      (b) => this.link.sendBinary(b),
    );
    const files = this.agentFiles;
    this.link = connect({
      state: (s) => this.onState(s),
      files: (m) => (m.type === 'files' ? files.handleView(m.files) : m.type === 'file-read' ? void files.handleRead(m) : files.handleRelease(m.source)),
      gone: (closing) => this.onGone(closing),
    });
  }

  override readonly subscribe = (listener: () => void): (() => void) => {
    this.agentListeners.add(listener);
    return () => this.agentListeners.delete(listener);
  };

  override readonly getSnapshot = (): SessionState => this.view;

  readonly getExtras = (): AgentExtras => this.extras;

  override async loadTerms(): Promise<void> {
    if (this.view.phase === 'load-failed') this.link.send({ type: 'reload-terms' });
  }

  override async acceptTerms(): Promise<void> {
    const terms = this.view.terms;
    if (!terms || (this.view.phase !== 'terms' && this.view.phase !== 'register-failed')) return;
    this.link.send({ type: 'accept-terms', version: terms.version, language: currentLanguage() });
  }

  override async end(): Promise<void> {
    this.link.send({ type: 'end' });
  }

  override sendChat(input: string): boolean {
    const text = input.trim();
    if (this.view.phase !== 'active' || text.length === 0 || text.length > MAX_CHAT_LENGTH) return false;
    this.link.send({ type: 'chat', text });
    return true;
  }

  override async startSharing(): Promise<void> {}

  override stopSharing(): void {}

  decide(what: GrantName, decision: Decision): void {
    this.link.send({ type: 'consent', what, decision });
  }

  private onState(s: ViewState): void {
    const { screenShared, consent, ...rest } = s;
    const active = s.phase === 'active';
    this.view = { ...initialState, ...rest, share: { status: active && screenShared ? 'on' : 'off' }, everShared: screenShared && s.connectedAt !== undefined };
    this.extras = { ...this.extras, consent, screenShared };
    this.notify();
  }

  private onGone(closing: boolean): void {
    this.extras = { ...this.extras, agentGone: true, consent: undefined };
    // the agent vanished in the middle: say so instead of showing buttons that no longer work
    if (!closing && this.view.phase !== 'ended') this.view = { ...this.view, phase: 'ended', endKey: 'peer-disconnected', endedAt: Date.now(), password: undefined };
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.agentListeners]) listener();
  }
}
