import type { CustomerFlowState, GrantName } from '@fernhilfe/protocol';
import type { PageFilesState } from '../files/page-files.js';

/** One question that waits for the customer: a grant the technician asked for, or a file offered. */
export type PendingRequest = { kind: 'grant'; what: GrantName } | { kind: 'file'; transferId: string; name: string };

/** The requests in `next` that were not open in `prev` (each is announced once). */
export function newRequests(prev: { flow: CustomerFlowState; files: PageFilesState } | undefined, next: { flow: CustomerFlowState; files: PageFilesState }): PendingRequest[] {
  const out: PendingRequest[] = [];
  for (const what of next.flow.consent.pending) if (!prev?.flow.consent.pending.includes(what)) out.push({ kind: 'grant', what });
  for (const o of next.files.offers) if (!prev?.files.offers.some((p) => p.transferId === o.transferId)) out.push({ kind: 'file', transferId: o.transferId, name: o.name });
  return out;
}

/** The browser's Notification API as far as the page uses it (injected: tests pass their own). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  /** shows a notification; `onClick` when the customer clicks it */
  show(title: string, body: string, tag: string, onClick: () => void): void;
}

export interface RequestNotifierDeps {
  /** undefined where the browser has no notifications (or not in a secure context) */
  notifications: NotificationApi | undefined;
  /** the tab is in the background (document.hidden) */
  hidden(): boolean;
  /** brings the page to the front (window.focus) */
  focus(): void;
  title(): string;
  /** the sentence for a request, in the page's language */
  say(request: PendingRequest): string;
}

/**
 * The browser-only customer page's announcer: asks for notification permission when a session
 * starts (a technician connected), and while the tab is in the background shows a notification for
 * each new request (control, the clipboard, a file), so nothing that needs the customer's answer
 * waits unseen in a background tab. A click on it brings the page to the front; the question
 * itself is answered on the page.
 */
export class RequestNotifier {
  private last: { flow: CustomerFlowState; files: PageFilesState } | undefined;
  private asked = false;

  constructor(private readonly deps: RequestNotifierDeps) {}

  /** called with every new state of the flow and the files */
  update(flow: CustomerFlowState, files: PageFilesState): void {
    const next = { flow, files };
    const prev = this.last;
    this.last = next;
    if (flow.phase !== 'active') return;
    const n = this.deps.notifications;
    if (n && !this.asked && n.permission === 'default') {
      this.asked = true;
      void n.requestPermission().catch(() => 'denied');
    }
    if (!n || n.permission !== 'granted' || !this.deps.hidden()) return;
    for (const request of newRequests(prev?.flow.phase === 'active' ? prev : undefined, next)) {
      const tag = request.kind === 'grant' ? `fernhilfe-${request.what}` : `fernhilfe-file-${request.transferId}`;
      n.show(this.deps.title(), this.deps.say(request), tag, () => this.deps.focus());
    }
  }
}
