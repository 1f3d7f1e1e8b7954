import type { ControlMessage, SessionReport } from '@fernhilfe/protocol';
import type { ConsentDecision } from './customer-flow.js';

type Status = 'none' | 'requested' | 'granted';

/**
 * The customer's side of recording consent (docs/recording.md). Unlike control and the clipboard it
 * needs nothing of the platform: the technician's console records what it already shows, so the
 * web page and the native program answer it alike, here in the flow.
 *
 *   none ──request──▶ requested ──allow──▶ granted ──revoke / release──▶ none
 *                        │ refuse / release
 *                        ▼
 *                       none
 */
export class RecordingConsent {
  private status: Status = 'none';
  private requiredByOperator = false;

  constructor(
    private readonly send: (message: ControlMessage) => void,
    private readonly report: (report: SessionReport) => void,
  ) {}

  get granted(): boolean {
    return this.status === 'granted';
  }

  get required(): boolean {
    return this.requiredByOperator;
  }

  /** The technician asks; true when the views should show the prompt. */
  request(required: boolean): boolean {
    this.requiredByOperator = required;
    if (this.status !== 'none') return false;
    this.status = 'requested';
    return true;
  }

  /** The technician stopped, or withdrew the request. */
  release(): void {
    this.status = 'none';
  }

  /** The customer's answer. `end`: a required recording was refused, so the session must end. */
  decide(decision: ConsentDecision): { changed: boolean; end: boolean } {
    const from = this.status;
    if (decision === 'allow' && from === 'requested') {
      this.status = 'granted';
      this.send({ type: 'recording-allowed' });
      return { changed: true, end: false };
    }
    if (decision === 'refuse' && from === 'requested') {
      this.status = 'none';
      this.send({ type: 'recording-refused' });
      this.report({ event: 'recording-refused', required: this.requiredByOperator });
      return { changed: true, end: this.requiredByOperator };
    }
    if (decision === 'revoke' && from === 'granted') {
      this.status = 'none';
      this.send({ type: 'recording-revoked' });
      // stopping a required recording is refusing it
      if (this.requiredByOperator) this.report({ event: 'recording-refused', required: true });
      return { changed: true, end: this.requiredByOperator };
    }
    return { changed: false, end: false };
  }
}
