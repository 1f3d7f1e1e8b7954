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

  it('lets in the secret from the URL once, then from the cookie', () => {
    expect(guard.check(req(`/?t=${token}`, { host }))).toEqual({ ok: true, via: 'url' });
    expect(guard.check(req('/assets/x.js', { host, cookie }))).toEqual({ ok: true, via: 'cookie' });
    expect(guard.checkUpgrade(req('/agent/ws', { host, cookie, origin: 'http://127.0.0.1:4321' }))).toEqual({ ok: true, via: 'cookie' });
  });

  it('refuses everything else with the reason', () => {
    expect(guard.check(req('/', { host }))).toEqual({ ok: false, why: 'no-token' });
    expect(guard.check(req(`/?t=${token}x`, { host }))).toEqual({ ok: false, why: 'no-token' });
    expect(guard.check(req('/', { host: 'rebind.example:4321', cookie }))).toEqual({ ok: false, why: 'wrong-host' });
    expect(guard.check(req('/', { host, cookie, origin: 'http://127.0.0.1:9999' }))).toEqual({ ok: false, why: 'wrong-origin' });
    expect(guard.check(req('/', { host, cookie, 'sec-fetch-site': 'cross-site' }))).toEqual({ ok: false, why: 'cross-site' });
    expect(guard.checkUpgrade(req('/agent/ws', { host, cookie }))).toEqual({ ok: false, why: 'wrong-origin' });
    expect(guard.checkUpgrade(req(`/agent/ws?t=${token}`, { host, origin: 'http://127.0.0.1:4321' }))).toEqual({ ok: false, why: 'no-token' });
    // another agent's cookie (other port) is not ours
    expect(guard.check(req('/', { host, cookie: cookie.replace('_4321=', '_4322=') }))).toEqual({ ok: false, why: 'no-token' });
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
