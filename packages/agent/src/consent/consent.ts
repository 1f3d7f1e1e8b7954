import { Emitter, FernhilfeError } from '@fernhilfe/protocol';
import { grants, type ConsentEvent, type ConsentEvents, type ConsentState, type Grant, type GrantStatus } from './types.js';

export type ConsentErrorReason = 'impossible-transition';

export class ConsentError extends FernhilfeError<ConsentErrorReason> {
  override readonly name = 'ConsentError';
  constructor(reason: ConsentErrorReason, detail: string) {
    super(reason, detail, { message: `${reason}: ${detail}` });
  }
  static impossible(what: Grant, event: ConsentEvent, from: GrantStatus): ConsentError {
    return new ConsentError('impossible-transition', `${event} of ${what} in state ${from}`);
  }
}

/**
 * The transitions of one grant's state machine; a missing entry is an impossible transition.
 *
 *   none ──request──▶ requested ──allow──▶ granted ──revoke──▶ revoked
 *                        │                    │
 *                     refuse               release (technician) ──▶ none
 *                        ▼
 *                     refused
 *
 * From refused and revoked a new request starts over; the customer may also allow without a
 * request (a "give control" button). `end` (the session ended) returns every state to none.
 */
const machine: Record<GrantStatus, Partial<Record<ConsentEvent, GrantStatus>>> = {
  none: { request: 'requested', allow: 'granted', release: 'none', end: 'none' },
  requested: { request: 'requested', allow: 'granted', refuse: 'refused', release: 'none', end: 'none' },
  granted: { request: 'granted', revoke: 'revoked', release: 'none', end: 'none' },
  refused: { request: 'requested', allow: 'granted', release: 'refused', end: 'none' },
  revoked: { request: 'requested', allow: 'granted', release: 'revoked', end: 'none' },
};

/**
 * What the customer allowed in this session: remote control and clipboard sharing. Everything starts
 * refused (view-only). One instance per session.
 *
 * For the agent's UI (ui/, tui/), the three buttons and two events:
 *   - on('requested', {what}): the technician asks; show a prompt "Allow control?" with Allow / Refuse.
 *   - on('withdrawn', {what}): the technician took the request back; hide that prompt.
 *   - allow(what): the customer said yes (also without a request: "give control").
 *   - refuse(what): the customer said no to a pending request.
 *   - revoke(what): the customer takes a grant back (the "Take back control" button, any time).
 *   - on('changed', state) / granted(): what is allowed now; show it ("The technician controls your PC").
 * allow/refuse/revoke return false (and change nothing) when the button no longer applies, e.g.
 * refuse() after the technician withdrew the request: a race between two people, not a bug.
 *
 * For the features: granted() / isGranted(what) before acting, 'changed' to stop at once, and the
 * technician's side through handleRequest / handleRelease (the consent feature calls them).
 */
export class Consent extends Emitter<ConsentEvents> {
  private readonly status: Record<Grant, GrantStatus> = { control: 'none', clipboard: 'none' };

  granted(): ConsentState {
    return { control: this.status.control === 'granted', clipboard: this.status.clipboard === 'granted' };
  }

  isGranted(what: Grant): boolean {
    return this.status[what] === 'granted';
  }

  statusOf(what: Grant): GrantStatus {
    return this.status[what];
  }

  /** The customer says yes. */
  allow(what: Grant): boolean {
    return this.tryMove(what, 'allow');
  }

  /** The customer says no to a pending request. */
  refuse(what: Grant): boolean {
    return this.tryMove(what, 'refuse');
  }

  /** The customer takes back what they allowed. */
  revoke(what: Grant): boolean {
    return this.tryMove(what, 'revoke');
  }

  /** The technician asks (control-request, clipboard-request). */
  handleRequest(what: Grant): void {
    this.move(what, 'request');
  }

  /** The technician gives it back, or withdraws the request (control-release, clipboard-release). */
  handleRelease(what: Grant): void {
    this.move(what, 'release');
  }

  /** The session ended: nothing is granted any more. */
  end(): void {
    for (const what of grants) this.move(what, 'end');
  }

  private tryMove(what: Grant, event: ConsentEvent): boolean {
    if (machine[this.status[what]][event] === undefined) return false;
    this.move(what, event);
    return true;
  }

  /** Applies one event; throws ConsentError for a transition the machine does not have. */
  private move(what: Grant, event: ConsentEvent): void {
    const from = this.status[what];
    const to = machine[from][event];
    if (to === undefined) throw ConsentError.impossible(what, event, from);
    this.status[what] = to;
    this.emit('transition', { what, event, from, to });
    if (event === 'request' && from !== 'requested' && to === 'requested') this.emit('requested', { what });
    if (from === 'requested' && to === 'none') this.emit('withdrawn', { what });
    if (from !== to) this.emit('changed', this.granted());
  }
}
