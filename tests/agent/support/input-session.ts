import type { SecureSession } from '@fernhilfe/client';
import { LogicalChannel, encodeInputEvent, type ControlMessage, type InputEvent } from '@fernhilfe/protocol';
import { Consent } from '../../../packages/agent/src/consent/consent.js';
import { consentFeature } from '../../../packages/agent/src/consent/feature.js';
import { inputFeature } from '../../../packages/agent/src/input/feature.js';
import { X11Injector } from '../../../packages/agent/src/platform/x11/injector.js';
import { runFeatures } from '../../../packages/agent/src/session/wiring.js';
import type { AgentFeature } from '../../../packages/agent/src/session/feature.js';
import { holdStill } from '../../support/quiet.js';
import type { TestServer } from '../../support/server.js';

/**
 * A paired session through the real server: the customer side is a Node CustomerEndpoint running the
 * agent's features (consent + input on the given X display, plus any extra), the technician side a
 * Node TechnicianEndpoint that sends what the console would send.
 */
export interface InputSession {
  tech: SecureSession;
  customer: SecureSession;
  consent: Consent;
  /** control messages the technician received, in order */
  techHeard: ControlMessage[];
  errors: string[];
  send(events: InputEvent[]): Promise<void>;
  /** the technician asks for control, the customer allows it (through the Consent API), the technician hears so */
  grantControl(): Promise<void>;
  heard(type: ControlMessage['type']): Promise<void>;
  close(): Promise<void>;
}

/** `injectorDelayMs`: the X connection for input takes this much longer to open (a slow display) */
export async function openInputSession(srv: TestServer, display: string, extra: (consent: Consent) => AgentFeature[] = () => [], opts: { injectorDelayMs?: number } = {}): Promise<InputSession> {
  const customerEnd = await srv.customer();
  const techEnd = await srv.technician();
  const custSessionP = customerEnd.once('session');
  const tech = await techEnd.connect(customerEnd.id, customerEnd.password!);
  const customer = await custSessionP;
  const consent = new Consent();
  const errors: string[] = [];
  const log = { error: (obj: object, msg: string) => void errors.push(`${msg} ${String((obj as { err?: unknown }).err)}`), warn: (_: object, msg: string) => void errors.push(msg) };
  const stop = runFeatures(customer, [consentFeature(consent), inputFeature({ consent, openInjector: () => holdStill(opts.injectorDelayMs ?? 0, 'a slow display: the X connection for input opens this much later').then(() => X11Injector.open(display)), log }), ...extra(consent)], log);
  const techHeard: ControlMessage[] = [];
  const waiters: Array<() => void> = [];
  tech.on('control', (m) => {
    techHeard.push(m);
    for (const w of [...waiters]) w();
  });
  const heard = (type: ControlMessage['type']) =>
    new Promise<void>((resolve, reject) => {
      const start = techHeard.length;
      const timer = setTimeout(() => reject(new Error(`the technician did not hear ${type}; heard ${JSON.stringify(techHeard)}`)), 10_000);
      const check = () => {
        if (techHeard.slice(start).some((m) => m.type === type)) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        }
      };
      waiters.push(check);
    });
  return {
    tech,
    customer,
    consent,
    techHeard,
    errors,
    send: async (events) => {
      for (const e of events) await tech.sendData(LogicalChannel.input, encodeInputEvent(e));
    },
    grantControl: async () => {
      const asked = consent.once('requested');
      const granted = heard('control-granted');
      await tech.sendControl({ type: 'control-request' });
      expectWhat((await asked).what, 'control');
      consent.allow('control');
      await granted;
    },
    heard,
    close: async () => {
      await tech.end().catch(() => undefined);
      await stop();
      techEnd.close();
    },
  };
}

function expectWhat(got: string, want: string): void {
  if (got !== want) throw new Error(`the customer was asked for ${got}, not ${want}`);
}

/** A click at a point of the frame (here the frame is the whole screen, 1:1). */
export function click(x: number, y: number, button: 0 | 1 | 2 = 0): InputEvent[] {
  return [
    { type: 'pointer-move', x, y },
    { type: 'pointer-button', button, down: true, x, y },
    { type: 'pointer-button', button, down: false, x, y },
  ];
}
