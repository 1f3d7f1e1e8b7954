import type { CustomerEndpoint, SecureSession, SessionEnd } from '@fernhilfe/client';
import type { ControlMessage } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { Emitter, RegistrationError } from '@fernhilfe/client';
import type { ScreenSender } from './media/screen-sender.js';
import { SessionStore, type StoreDeps } from './session-store.js';

const terms = { version: 'f'.repeat(64), text: { de: '# AGB', en: '# Terms' } };
const technician = { displayName: 'Max', company: 'Acme' };

class FakeSession extends Emitter<{ control: ControlMessage; ended: SessionEnd }> {
  readonly sas = '123 456';
  isOpen = true;
  sent: ControlMessage[] = [];
  async sendControl(m: ControlMessage) {
    this.sent.push(m);
  }
  fire<K extends 'control' | 'ended'>(event: K, value: { control: ControlMessage; ended: SessionEnd }[K]) {
    this.emit(event, value);
  }
}

class FakeCustomer extends Emitter<{
  pairing: typeof technician;
  'attempt-failed': { failures: number; remaining: number };
  'password-rotated': { password: string };
  session: SecureSession;
  ended: SessionEnd;
}> {
  readonly id = '123456789';
  password: string | undefined = 'abc2345';
  session: FakeSession | undefined;
  async end() {
    this.emit('ended', { reason: 'ended-by-customer', by: 'local' });
  }
  fire<K extends 'pairing' | 'attempt-failed' | 'password-rotated' | 'ended'>(event: K, value: Parameters<FakeCustomer['emit']>[1]) {
    this.emit(event, value as never);
  }
  openSession(): FakeSession {
    this.session = new FakeSession();
    this.emit('session', this.session as unknown as SecureSession);
    return this.session;
  }
}

class FakeSender extends Emitter<{ started: object; stopped: { reason: string } }> {
  handled: ControlMessage[] = [];
  async start() {
    this.emit('started', {});
  }
  stop(reason = 'stopped') {
    this.emit('stopped', { reason });
  }
  handleControl(m: ControlMessage) {
    this.handled.push(m);
  }
}

function setup(overrides: Partial<StoreDeps> = {}) {
  const customer = new FakeCustomer();
  const sender = new FakeSender();
  let registered = false;
  const store = new SessionStore({
    api: { terms: async () => terms },
    openCustomer: async () => {
      registered = true;
      return customer as unknown as CustomerEndpoint;
    },
    createSender: () => sender as unknown as ScreenSender,
    language: () => 'de',
    secureContext: () => true,
    now: () => 1000,
    ...overrides,
  });
  return { store, customer, sender, registered: () => registered };
}

describe('SessionStore', () => {
  it('registers nothing before the terms are accepted', async () => {
    const { store, registered } = setup();
    await store.loadTerms();
    expect(store.getSnapshot().phase).toBe('terms');
    expect(registered()).toBe(false);
    await store.acceptTerms();
    expect(registered()).toBe(true);
    expect(store.getSnapshot()).toMatchObject({ phase: 'waiting', id: '123456789', password: 'abc2345', registeredAt: 1000 });
  });

  it('counts wrong passwords and shows the new one after the fifth', async () => {
    const { store, customer } = setup();
    await store.loadTerms();
    await store.acceptTerms();
    customer.fire('pairing', technician);
    expect(store.getSnapshot()).toMatchObject({ phase: 'pairing', technician });
    customer.fire('attempt-failed', { failures: 2, remaining: 3 });
    expect(store.getSnapshot()).toMatchObject({ phase: 'waiting', failures: 2, attemptsInRound: 2, rotated: false });
    customer.fire('attempt-failed', { failures: 5, remaining: 0 });
    customer.fire('password-rotated', { password: 'newpass' });
    expect(store.getSnapshot()).toMatchObject({ attemptsInRound: 5, rotated: true, password: 'newpass' });
  });

  it('runs a session: SAS, chat both ways, video control to the sender, summary at the end', async () => {
    const { store, customer, sender } = setup();
    await store.loadTerms();
    await store.acceptTerms();
    customer.fire('pairing', technician);
    const session = customer.openSession();
    expect(store.getSnapshot()).toMatchObject({ phase: 'active', sas: '123 456', password: undefined, connectedTechnician: technician });

    expect(store.sendChat('  hello  ')).toBe(true);
    expect(store.sendChat('   ')).toBe(false);
    expect(store.sendChat('x'.repeat(4001))).toBe(false);
    expect(session.sent).toEqual([{ type: 'chat', text: 'hello' }]);
    session.fire('control', { type: 'chat', text: 'hi there' });
    expect(store.getSnapshot().chat.map((c) => [c.from, c.text])).toEqual([
      ['customer', 'hello'],
      ['technician', 'hi there'],
    ]);

    await store.startSharing();
    expect(store.getSnapshot()).toMatchObject({ share: { status: 'on' }, everShared: true });
    session.fire('control', { type: 'keyframe-request' });
    session.fire('control', { type: 'video-ack', frameId: 7 });
    expect(sender.handled).toEqual([{ type: 'keyframe-request' }, { type: 'video-ack', frameId: 7 }]);

    customer.fire('ended', { reason: 'ended-by-technician', by: 'technician' });
    expect(store.getSnapshot()).toMatchObject({ phase: 'ended', endKey: 'ended-by-technician', share: { status: 'off' }, everShared: true });
  });

  it('ending before anybody connected closes the registration', async () => {
    const { store } = setup();
    await store.loadTerms();
    await store.acceptTerms();
    await store.end();
    expect(store.getSnapshot()).toMatchObject({ phase: 'ended', endKey: 'ended-before-start' });
  });

  it('re-reads the terms when they changed before acceptance', async () => {
    let calls = 0;
    const { store } = setup({
      openCustomer: async () => {
        calls++;
        throw new RegistrationError('terms-outdated', 'the terms have changed');
      },
    });
    await store.loadTerms();
    await store.acceptTerms();
    expect(calls).toBe(1);
    expect(store.getSnapshot()).toMatchObject({ phase: 'terms', termsOutdated: true });
  });

  it('says so when the server cannot be reached, and can try again', async () => {
    const { store } = setup({ openCustomer: async () => Promise.reject(new Error('cannot connect to ws://x/ws/customer')) });
    await store.loadTerms();
    await store.acceptTerms();
    expect(store.getSnapshot()).toMatchObject({ phase: 'register-failed', registerProblem: 'failed' });
  });

  it('does not offer screen sharing without a secure context', async () => {
    const { store, customer } = setup({ secureContext: () => false });
    await store.loadTerms();
    await store.acceptTerms();
    customer.fire('pairing', technician);
    customer.openSession();
    await store.startSharing();
    expect(store.getSnapshot().share).toEqual({ status: 'off', problem: 'insecure' });
  });
});
