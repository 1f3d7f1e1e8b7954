import { MAX_CHAT_LENGTH, type ConsentDecision } from '@fernhilfe/client';
import { formatCaseCode, initialFlowState, type CaseCredentials, type CustomerFlowState, type GrantName } from '@fernhilfe/protocol';
import { currentLanguage } from '../i18n/index.js';
import type { PageStore } from '../page-store.js';
import { AgentPageFiles } from './agent-files.js';
import { AgentLink, type DesktopConsentView, type DesktopView } from './agent-link.js';

/**
 * The page's store when it is the face of the native agent: a view of the agent's CustomerFlow,
 * whose state arrives over the local WebSocket; each click goes back as a message. Screen sharing
 * is the agent's job, so the sharing actions do nothing here.
 */
export class AgentStore implements PageStore {
  private view: CustomerFlowState = initialFlowState;
  /** the agent has exited (after the end) or vanished */
  private gone = false;
  /** Windows: what the agent's input can reach (an elevated window in front, the secure desktop) */
  private desktop: DesktopView | undefined;
  /** Wayland: the desktop's own sharing dialog */
  private desktopConsent: DesktopConsentView | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly link: AgentLink;
  /** file transfer run by the agent, shown with the browser page's files card */
  readonly files: AgentPageFiles;

  constructor(connect: typeof AgentLink.connect = AgentLink.connect) {
    this.files = new AgentPageFiles(
      (m) => this.link.send(m),
      (b) => this.link.sendBinary(b),
    );
    const files = this.files;
    this.link = connect({
      state: (s) => this.update(s),
      files: (m) => (m.type === 'files' ? files.handleView(m.files) : m.type === 'file-read' ? void files.handleRead(m) : files.handleRelease(m.source)),
      gone: (closing) => this.onGone(closing),
      desktop: (d) => {
        this.desktop = d;
        this.notify();
      },
      desktopConsent: (state) => {
        this.desktopConsent = state;
        this.notify();
      },
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): CustomerFlowState => this.view;

  /** the agent has exited (after the end) or vanished */
  readonly isGone = (): boolean => this.gone;

  readonly getDesktop = (): DesktopView | undefined => this.desktop;

  readonly getDesktopConsent = (): DesktopConsentView | undefined => this.desktopConsent;

  /** Windows: the customer's "Restart as administrator" (ends this session) */
  restartElevated(): void {
    this.link.send({ type: 'restart-elevated' });
  }

  async loadTerms(): Promise<void> {
    if (this.view.phase === 'load-failed') this.link.send({ type: 'reload-terms' });
  }

  /** `supportCase`: the agent joins the case (the code goes to the agent over the local link; docs/cases.md) */
  async acceptTerms(supportCase?: { credentials: CaseCredentials; description: string }): Promise<void> {
    const terms = this.view.terms;
    if (!terms || (this.view.phase !== 'terms' && this.view.phase !== 'register-failed')) return;
    const joined = supportCase ? { case: { code: formatCaseCode(supportCase.credentials), description: supportCase.description } } : {};
    this.link.send({ type: 'accept-terms', version: terms.version, language: currentLanguage(), ...joined });
  }

  async end(): Promise<void> {
    this.link.send({ type: 'end' });
  }

  sendChat(input: string): boolean {
    const text = input.trim();
    if (this.view.phase !== 'active' || text.length === 0 || text.length > MAX_CHAT_LENGTH) return false;
    this.link.send({ type: 'chat', text });
    return true;
  }

  async startSharing(): Promise<void> {}

  stopSharing(): void {}

  decide(what: GrantName, decision: ConsentDecision): void {
    this.link.send({ type: 'consent', what, decision });
  }

  private onGone(closing: boolean): void {
    this.gone = true;
    const consent = { ...this.view.consent, granted: { control: false, clipboard: false, recording: false }, pending: [] };
    // the agent vanished in the middle: say so instead of showing buttons that no longer work
    if (!closing && this.view.phase !== 'ended') this.update({ ...this.view, phase: 'ended', endKey: 'peer-disconnected', endedAt: Date.now(), password: undefined, consent });
    else this.update({ ...this.view, consent });
  }

  private update(state: CustomerFlowState): void {
    this.view = state;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
