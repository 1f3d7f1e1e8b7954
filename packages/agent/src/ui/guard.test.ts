import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { UiGuard } from './guard.js';

const req = (url: string, headers: Record<string, string>): IncomingMessage => ({ url, headers }) as unknown as IncomingMessage;

describe('the local UI guard', () => {
  const guard = new UiGuard();
  guard.bind(4321);
  const token = new URL(guard.url()).searchParams.get('t')!;
  const host = '127.0.0.1:4321';
  const cookie = guard.setCookie().split(';')[0]!;

  it('lets in the one-time ticket from the URL once, then only the cookie', () => {
    expect(guard.check(req(`/?t=${token}`, { host }))).toEqual({ ok: true, via: 'ticket' });
    expect(guard.check(req(`/?t=${token}`, { host }))).toEqual({ ok: false, why: 'ticket-used' });
    expect(cookie.split('=')[1]).not.toBe(token); // the cookie's secret is not the ticket
    expect(guard.check(req('/assets/x.js', { host, cookie }))).toEqual({ ok: true, via: 'cookie' });
    expect(guard.checkUpgrade(req('/agent/ws', { host, cookie, origin: 'http://127.0.0.1:4321' }))).toEqual({ ok: true, via: 'cookie' });
  });

  it('refuses everything else with the reason', () => {
    expect(guard.check(req('/', { host }))).toEqual({ ok: false, why: 'no-token' });
    expect(guard.check(req(`/?t=${token}x`, { host }))).toEqual({ ok: false, why: 'no-token' });
    expect(guard.check(req(`/?t=${cookie.split('=')[1]}`, { host }))).toEqual({ ok: false, why: 'no-token' }); // the secret is no ticket
    expect(guard.check(req('/', { host: 'rebind.example:4321', cookie }))).toEqual({ ok: false, why: 'wrong-host' });
    expect(guard.check(req('/', { host, cookie, origin: 'http://127.0.0.1:9999' }))).toEqual({ ok: false, why: 'wrong-origin' });
    expect(guard.check(req('/', { host, cookie, 'sec-fetch-site': 'cross-site' }))).toEqual({ ok: false, why: 'cross-site' });
    expect(guard.checkUpgrade(req('/agent/ws', { host, cookie }))).toEqual({ ok: false, why: 'wrong-origin' });
    expect(guard.checkUpgrade(req(`/agent/ws?t=${token}`, { host, origin: 'http://127.0.0.1:4321' }))).toEqual({ ok: false, why: 'no-token' });
    // another agent's cookie (other port) is not ours
    expect(guard.check(req('/', { host, cookie: cookie.replace('_4321_', '_4322_') }))).toEqual({ ok: false, why: 'no-token' });
    // the name is random per run: another guard on the same port does not use it
    const other = new UiGuard();
    other.bind(4321);
    expect(other.cookieName).not.toBe(guard.cookieName);
    expect(guard.cookieName).toMatch(/^fernhilfe_agent_4321_[0-9a-f]{16}$/);
  });

  it('knows nothing after wipe()', () => {
    const g = new UiGuard();
    g.bind(1);
    const t = new URL(g.url()).searchParams.get('t')!;
    g.wipe();
    expect(g.check(req(`/?t=${t}`, { host: '127.0.0.1:1' })).ok).toBe(false);
    expect(g.check(req(`/?t=${'A'.repeat(43)}`, { host: '127.0.0.1:1' })).ok).toBe(false);
  });
});
