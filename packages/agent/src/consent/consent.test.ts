import { describe, expect, it } from 'vitest';
import type { ControlMessage } from '@fernhilfe/protocol';
import { Consent, ConsentError } from './consent.js';
import { ConsentFeature } from './feature.js';

function record(c: Consent) {
  const events: string[] = [];
  c.on('requested', ({ what }) => events.push(`requested ${what}`));
  c.on('withdrawn', ({ what }) => events.push(`withdrawn ${what}`));
  c.on('changed', (s) => events.push(`changed control=${s.control} clipboard=${s.clipboard}`));
  return events;
}

describe('Consent', () => {
  it('starts view-only and walks request -> granted -> revoked', () => {
    const c = new Consent();
    const events = record(c);
    expect(c.granted()).toEqual({ control: false, clipboard: false });
    c.handleRequest('control');
    expect(c.statusOf('control')).toBe('requested');
    expect(c.allow('control')).toBe(true);
    expect(c.isGranted('control')).toBe(true);
    expect(c.revoke('control')).toBe(true);
    expect(c.statusOf('control')).toBe('revoked');
    expect(events).toEqual(['requested control', 'changed control=false clipboard=false', 'changed control=true clipboard=false', 'changed control=false clipboard=false']);
  });

  it('refuses, asks again, and keeps the two grants apart', () => {
    const c = new Consent();
    c.handleRequest('control');
    expect(c.refuse('control')).toBe(true);
    expect(c.statusOf('control')).toBe('refused');
    c.handleRequest('control');
    expect(c.statusOf('control')).toBe('requested');
    expect(c.allow('clipboard')).toBe(true); // allowed without being asked
    expect(c.granted()).toEqual({ control: false, clipboard: true });
  });

  it('a button that no longer applies changes nothing and says so', () => {
    const c = new Consent();
    expect(c.refuse('control')).toBe(false);
    expect(c.revoke('control')).toBe(false);
    c.handleRequest('control');
    const events = record(c);
    c.handleRelease('control'); // the technician withdrew the request before the customer answered
    expect(events).toEqual(['withdrawn control', 'changed control=false clipboard=false']);
    expect(c.refuse('control')).toBe(false);
    expect(c.statusOf('control')).toBe('none');
  });

  it('the technician releasing or the session ending leaves nothing granted', () => {
    const c = new Consent();
    c.allow('control');
    c.allow('clipboard');
    c.handleRelease('control');
    expect(c.granted()).toEqual({ control: false, clipboard: true });
    c.end();
    expect(c.granted()).toEqual({ control: false, clipboard: false });
    expect(c.statusOf('clipboard')).toBe('none');
  });

  it('names an impossible transition', () => {
    const err = new ConsentError('impossible-transition', 'x');
    expect(err.reason).toBe('impossible-transition');
    expect(ConsentError.impossible('control', 'revoke', 'none').message).toMatch(/revoke of control in state none/);
  });
});

describe('ConsentFeature', () => {
  it('turns the technician\'s messages into requests and the customer\'s answers into messages', async () => {
    const c = new Consent();
    const sent: ControlMessage[] = [];
    const f = new ConsentFeature(c);
    await f.start({ sendControl: (m) => (sent.push(m), Promise.resolve()), sendData: () => Promise.resolve() });
    const asked: string[] = [];
    c.on('requested', ({ what }) => asked.push(what));
    f.handleControl({ type: 'control-request' });
    f.handleControl({ type: 'chat', text: 'not mine' });
    expect(asked).toEqual(['control']);
    c.refuse('control');
    f.handleControl({ type: 'control-request' });
    c.allow('control');
    f.handleControl({ type: 'control-request' }); // asked again while granted: told again
    c.revoke('control');
    f.handleControl({ type: 'clipboard-request' });
    c.allow('clipboard');
    f.handleControl({ type: 'clipboard-release' });
    expect(sent).toEqual([
      { type: 'control-refused', reason: 'customer' },
      { type: 'control-granted' },
      { type: 'control-granted' },
      { type: 'control-revoked' },
      { type: 'clipboard-allowed' },
    ]);
    expect(c.isGranted('clipboard')).toBe(false);
    c.allow('control');
    await f.stop();
    expect(c.granted()).toEqual({ control: false, clipboard: false });
    expect(sent).toHaveLength(6);
  });
});
