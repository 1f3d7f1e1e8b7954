import type { ControlMessage, SessionReport } from '@fernhilfe/protocol';
import type { AgentFeature, SessionPort } from '../session/feature.js';
import type { Consent } from './consent.js';
import type { ConsentEvents, Grant } from './types.js';

type Transition = ConsentEvents['transition'];

/** The message that tells the technician where a grant now stands (none: nothing to say). */
const tell: Record<Grant, (t: Transition) => ControlMessage | undefined> = {
  control: (t) => {
    if (t.to === 'granted') return { type: 'control-granted' };
    if (t.to === 'refused' && t.event === 'refuse') return { type: 'control-refused', reason: 'customer' };
    if (t.to === 'revoked' && t.event === 'revoke') return { type: 'control-revoked' };
    return undefined;
  },
  clipboard: (t) => {
    if (t.to === 'granted') return { type: 'clipboard-allowed' };
    if (t.to === 'refused' && t.event === 'refuse') return { type: 'clipboard-refused', reason: 'customer' };
    if (t.to === 'revoked' && t.event === 'revoke') return { type: 'clipboard-revoked' };
    return undefined;
  },
};

/** What goes on the session's audit trail (and the customer's receipt): every grant, and every end of one. */
const record: Record<Grant, { granted: SessionReport; ended: SessionReport }> = {
  control: { granted: { event: 'control-granted' }, ended: { event: 'control-revoked' } },
  clipboard: { granted: { event: 'clipboard-allowed' }, ended: { event: 'clipboard-revoked' } },
};

function reportFor(t: Transition): SessionReport | undefined {
  if (t.to === 'granted' && t.from !== 'granted') return record[t.what].granted;
  if (t.from === 'granted' && t.to !== 'granted') return record[t.what].ended;
  return undefined;
}

type Incoming = Extract<ControlMessage, { type: 'control-request' | 'control-release' | 'clipboard-request' | 'clipboard-release' }>['type'];
const incoming = {
  'control-request': (c) => c.handleRequest('control'),
  'control-release': (c) => c.handleRelease('control'),
  'clipboard-request': (c) => c.handleRequest('clipboard'),
  'clipboard-release': (c) => c.handleRelease('clipboard'),
} satisfies Record<Incoming, (c: Consent) => void>;

const isIncoming = (type: string): type is Incoming => Object.hasOwn(incoming, type);

/**
 * Carries consent between the technician and the customer's UI: the technician's requests and releases
 * go into the Consent machines, and every answer of the customer (allow, refuse, revoke) goes back to
 * the technician as a control message, and each grant and its end to the server's audit trail. At the
 * session's end nothing stays granted.
 */
export class ConsentFeature implements AgentFeature {
  readonly name = 'consent';
  private off: (() => void) | undefined;

  constructor(private readonly consent: Consent) {}

  start(port: SessionPort): Promise<void> {
    this.off = this.consent.on('transition', (t) => {
      const message = tell[t.what](t);
      if (message) void port.sendControl(message).catch(() => undefined);
      const report = reportFor(t);
      if (report) port.report?.(report);
    });
    return Promise.resolve();
  }

  handleControl(message: ControlMessage): void {
    if (isIncoming(message.type)) incoming[message.type](this.consent);
  }

  stop(): Promise<void> {
    this.off?.();
    this.off = undefined;
    this.consent.end();
    return Promise.resolve();
  }
}

export const consentFeature = (consent: Consent): ConsentFeature => new ConsentFeature(consent);
