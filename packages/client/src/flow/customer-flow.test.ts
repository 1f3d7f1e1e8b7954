import { Emitter, type ControlMessage, type GrantName } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import type { CustomerEndpoint } from '../customer.js';
import { RegistrationError, type SessionEnd } from '../errors.js';
import type { SecureSession } from '../secure-session.js';
import { CustomerFlow, endKey } from './customer-flow.js';
import type { ConsentPortEvents, FlowDeps, SessionParts } from './ports.js';
import { TransitionError, canMove } from './transitions.js';

const terms = { version: 'f'.repeat(64), text: { de: '# AGB', en: '# Terms' } };
const technician = { displayName: 'Max', company: 'Acme' };

type SessionEvents = { control: ControlMessage; ended: SessionEnd; 'connection-lost': object; reconnected: object };

class FakeSession extends Emitter<SessionEvents> {
  readonly sas = '123 456';
  isOpen = true;
  sent: ControlMessage[] = [];
  async sendControl(m: ControlMessage) {
    this.sent.push(m);
  }
  fire<K extends 'control' | 'connection-lost' | 'reconnected'>(event: K, value: SessionEvents[K]) {
    this.emit(event, value);
  }
}

type CustomerEvents = {
  pairing: typeof technician;
  'pairing-aborted': { reason: 'technician-left' | 'timeout' | 'aborted' };
  'attempt-failed': { failures: number; remaining: number };
  'password-rotated': { password: string };
  session: SecureSession;
  ended: SessionEnd;
};

class FakeCustomer extends Emitter<CustomerEvents> {
  readonly id = '123456789';
  password: string | undefined = 'abc2345';
  receiptToken = 'a'.repeat(64);
  session: FakeSession | undefined;
  async end() {
    this.emit('ended', { reason: 'ended-by-customer', by: 'local' });
  }
  fire<K extends Exclude<keyof CustomerEvents, 'session'>>(event: K, value: CustomerEvents[K]) {
    this.emit(event, value);
  }
  openSession(): FakeSession {
    this.session = new FakeSession();
    this.emit('session', this.session as unknown as SecureSession);
    return this.session;
  }
}

/** The agent's consent manager as far as the flow sees it. */
class FakeConsent extends Emitter<ConsentPortEvents & Record<string, unknown>> {
  private state = { control: false, clipboard: false };
  // recording consent lives in the flow itself (recording-consent.ts), never in the platform's manager
  granted() {
    return { ...this.state };
  }
  allow(what: Exclude<GrantName, 'recording'>) {
    this.state[what] = true;
    this.emit('changed', this.granted());
  }
  refuse() {}
  revoke(what: Exclude<GrantName, 'recording'>) {
    this.state[what] = false;
    this.emit('changed', this.granted());
  }
  ask(what: GrantName) {
    this.emit('requested', { what });
  }
}

function setup(overrides: Partial<FlowDeps> = {}, parts: SessionParts = { grants: [] }) {
  const customer = new FakeCustomer();
  const registered: string[] = [];
  const flow = new CustomerFlow({
    api: { terms: async () => terms },
    register: async (version) => {
      registered.push(version);
      return customer as unknown as CustomerEndpoint;
    },
    openSession: () => parts,
    now: () => 1000,
    ...overrides,
  });
  const phases: string[] = [flow.state.phase];
  flow.on('state', (s) => {
    if (phases.at(-1) !== s.phase) phases.push(s.phase);
  });
  return { flow, customer, registered, phases };
}

describe('CustomerFlow', () => {
  it('walks the whole journey: terms, ID and password, failed attempts, a new password, the session, the end', async () => {
    const { flow, customer, registered, phases } = setup({ receiptUrl: (t) => `https://support.example/receipt#token=${t}` });
    await flow.loadTerms();
    expect(flow.state).toMatchObject({ phase: 'terms', terms });
    expect(registered).toEqual([]); // nothing is registered before the terms are accepted
    await flow.acceptTerms('de');
    expect(registered).toEqual([terms.version]);
    expect(flow.state).toMatchObject({ phase: 'waiting', id: '123456789', password: 'abc2345', registeredAt: 1000, receiptUrl: `https://support.example/receipt#token=${'a'.repeat(64)}` });

    customer.fire('pairing', technician);
    expect(flow.state).toMatchObject({ phase: 'pairing', technician });
    customer.fire('attempt-failed', { failures: 1, remaining: 4 });
    expect(flow.state).toMatchObject({ phase: 'waiting', failures: 1, attemptsInRound: 1, rotated: false });
    customer.fire('attempt-failed', { failures: 5, remaining: 0 });
    customer.fire('password-rotated', { password: 'newpass' });
    expect(flow.state).toMatchObject({ attemptsInRound: 5, rotated: true, password: 'newpass' });

    customer.fire('pairing', technician);
    const session = customer.openSession();
    expect(flow.state).toMatchObject({ phase: 'active', sas: '123 456', password: undefined, connectedTechnician: technician, connectedAt: 1000 });

    session.fire('connection-lost', {});
    expect(flow.state.reconnecting).toBe(true);
    session.fire('reconnected', {});
    expect(flow.state.reconnecting).toBe(false);

    expect(flow.sendChat('  hello  ')).toBe(true);
    expect(flow.sendChat('   ')).toBe(false);
    expect(flow.sendChat('x'.repeat(4001))).toBe(false);
    session.fire('control', { type: 'chat', text: 'hi there' });
    expect(session.sent).toEqual([{ type: 'chat', text: 'hello' }]);
    expect(flow.state.chat.map((c) => [c.from, c.text])).toEqual([
      ['customer', 'hello'],
      ['technician', 'hi there'],
    ]);

    const final = flow.once('ended');
    customer.fire('ended', { reason: 'ended-by-technician', by: 'technician' });
    expect(await final).toMatchObject({ phase: 'ended', endKey: 'ended-by-technician', endedAt: 1000, password: undefined });
    expect(phases).toEqual(['loading', 'terms', 'registering', 'waiting', 'pairing', 'waiting', 'pairing', 'active', 'ended']);
  });

  it('asks the customer for control only where the platform can grant it, and shows what was allowed', async () => {
    const consent = new FakeConsent();
    const { flow, customer } = setup({}, { consent, grants: ['control'], sharesScreen: true });
    await flow.loadTerms();
    await flow.acceptTerms('en');
    customer.fire('pairing', technician);
    const session = customer.openSession();
    expect(flow.state).toMatchObject({ share: { status: 'on' }, everShared: true, consent: { available: ['control', 'recording'], pending: [] } });

    consent.ask('clipboard'); // not available here: refused at once, the customer is not asked
    expect(session.sent).toEqual([{ type: 'clipboard-refused', reason: 'unsupported' }]);
    consent.ask('control');
    expect(flow.state.consent.pending).toEqual(['control']);
    flow.decide('control', 'allow');
    expect(flow.state.consent).toEqual({ available: ['control', 'recording'], granted: { control: true, clipboard: false, recording: false }, pending: [] });
    flow.decide('control', 'revoke');
    expect(flow.state.consent.granted.control).toBe(false);

    await flow.end();
    expect(flow.state).toMatchObject({ phase: 'ended', endKey: 'ended-by-customer', share: { status: 'off' }, everShared: true });
  });

  it('refuses control and the clipboard where there is no consent manager (the browser page)', async () => {
    const { flow, customer } = setup();
    await flow.loadTerms();
    await flow.acceptTerms('de');
    customer.fire('pairing', technician);
    const session = customer.openSession();
    session.fire('control', { type: 'control-request' });
    session.fire('control', { type: 'clipboard-request' });
    expect(session.sent).toEqual([
      { type: 'control-refused', reason: 'unsupported' },
      { type: 'clipboard-refused', reason: 'unsupported' },
    ]);
  });

  it('ends before anybody connected, and before registering at all', async () => {
    const registered = setup();
    await registered.flow.loadTerms();
    await registered.flow.acceptTerms('de');
    await registered.flow.end();
    expect(registered.flow.state).toMatchObject({ phase: 'ended', endKey: 'ended-before-start' });

    const early = setup();
    await early.flow.loadTerms();
    await early.flow.end();
    expect(early.flow.state).toMatchObject({ phase: 'ended', endKey: 'ended-before-start' });
    expect(early.registered).toEqual([]);
  });

  it('re-reads changed terms, says when the server is busy or unreachable, and can try again', async () => {
    const outdated = setup({ register: async () => Promise.reject(new RegistrationError('terms-outdated', 'the terms have changed')) });
    await outdated.flow.loadTerms();
    await outdated.flow.acceptTerms('de');
    expect(outdated.flow.state).toMatchObject({ phase: 'terms', termsOutdated: true });

    let fail = true;
    const busy = setup({ register: async () => (fail ? Promise.reject(new RegistrationError('rate-limited', 'slow down')) : (new FakeCustomer() as unknown as CustomerEndpoint)) });
    await busy.flow.loadTerms();
    await busy.flow.acceptTerms('de');
    expect(busy.flow.state).toMatchObject({ phase: 'register-failed', registerProblem: 'busy' });
    fail = false;
    await busy.flow.acceptTerms('de');
    expect(busy.flow.state).toMatchObject({ phase: 'waiting', registerProblem: undefined });

    const down = setup({ api: { terms: async () => Promise.reject(new Error('offline')) } });
    await down.flow.loadTerms();
    expect(down.flow.state.phase).toBe('load-failed');
  });

  it('ignores an acceptance of terms it no longer shows', async () => {
    const { flow, registered } = setup();
    await flow.loadTerms();
    await flow.acceptTerms('de', '0'.repeat(64));
    expect(flow.state.phase).toBe('terms');
    expect(registered).toEqual([]);
  });

  it('shares the screen on the customer\'s click and says why it cannot', async () => {
    const started: string[] = [];
    class Sender extends Emitter<{ started: unknown; stopped: { reason: string } }> {
      async start() {
        started.push('start');
        this.emit('started', {});
      }
      stop(reason = 'stopped') {
        this.emit('stopped', { reason });
      }
      handleControl() {}
    }
    let secure = false;
    const { flow, customer } = setup({}, { grants: [], screen: { unavailable: () => (secure ? undefined : 'insecure'), create: () => new Sender(), problemOf: () => 'failed' } });
    await flow.loadTerms();
    await flow.acceptTerms('de');
    customer.fire('pairing', technician);
    customer.openSession();
    await flow.startSharing();
    expect(flow.state.share).toEqual({ status: 'off', problem: 'insecure' });
    secure = true;
    await flow.startSharing();
    expect(flow.state).toMatchObject({ share: { status: 'on' }, everShared: true });
    flow.stopSharing();
    expect(flow.state.share).toEqual({ status: 'off' });
    expect(started).toEqual(['start']);
  });
});

describe('the transition table', () => {
  it('allows only the documented transitions, and an impossible one is an error', async () => {
    expect(canMove('terms', 'registering')).toBe(true);
    expect(canMove('loading', 'waiting')).toBe(false);
    expect(canMove('waiting', 'active')).toBe(false); // a session always comes through pairing
    expect(canMove('ended', 'waiting')).toBe(false);
    const reported: unknown[] = [];
    const customer = new FakeCustomer((_event, err) => reported.push(err));
    const { flow } = setup({ register: async () => customer as unknown as CustomerEndpoint });
    await flow.loadTerms();
    await flow.acceptTerms('de');
    customer.openSession(); // no technician paired: the table has no waiting -> active
    expect(reported).toEqual([expect.any(TransitionError)]);
    expect(reported[0]).toMatchObject({ reason: 'impossible-transition', from: 'waiting', to: 'active' });
    expect(flow.state.phase).toBe('waiting');
  });

  it('says "you closed it before anybody connected" when there was no session', () => {
    expect(endKey({ reason: 'ended-by-customer', by: 'local' }, false)).toBe('ended-before-start');
    expect(endKey({ reason: 'ended-by-customer', by: 'local' }, true)).toBe('ended-by-customer');
    expect(endKey({ reason: 'tampered', by: 'technician' }, true)).toBe('tampered');
  });
});
