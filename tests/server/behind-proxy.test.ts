import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@fernhilfe/server';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';

/** Sign in over plain HTTP on 127.0.0.1, as a TLS-terminating proxy in front would pass it on. */
async function signIn(srv: TestServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${srv.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: srv.url, ...headers },
    body: JSON.stringify({ login: TECH_LOGIN, password: TECH_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fh_session=')) ?? '';
  return { secure: /;\s*Secure(;|$)/i.test(cookie), hsts: res.headers.get('strict-transport-security') };
}

const pageHsts = async (srv: TestServer, headers: Record<string, string> = {}) =>
  (await fetch(`${srv.url}/api/terms`, { headers })).headers.get('strict-transport-security');

/**
 * Behind a TLS-terminating proxy the server itself speaks plain HTTP, yet the people using it are on
 * HTTPS: their session cookie must be `Secure` (never sent over a downgraded connection) and the
 * browser must be told to stay on HTTPS (HSTS). The server knows from an https PUBLIC_URL, or from
 * `X-Forwarded-Proto: https` sent by a proxy it trusts (TRUST_PROXY).
 */
describe('behind a TLS-terminating proxy', () => {
  describe('with an https PUBLIC_URL', () => {
    let srv: TestServer;
    beforeAll(async () => {
      srv = await startTestServer({ PUBLIC_URL: 'https://support.example.com/' });
    });
    afterAll(() => srv?.close());

    it('sets Secure on the session cookie and sends HSTS on every response', async () => {
      const login = await signIn(srv);
      expect(login.secure).toBe(true);
      expect(login.hsts).toMatch(/^max-age=31536000/);
      expect(await pageHsts(srv)).toMatch(/^max-age=31536000/);
      expect(srv.setupUrl).toMatch(/^https:\/\/support\.example\.com\/setup/);
    });
  });

  describe('with TRUST_PROXY and X-Forwarded-Proto', () => {
    let trusting: TestServer;
    let untrusting: TestServer;
    beforeAll(async () => {
      trusting = await startTestServer({ TRUST_PROXY: '127.0.0.1' });
      untrusting = await startTestServer();
    });
    afterAll(async () => {
      await trusting?.close();
      await untrusting?.close();
    });

    it('a request that came as https through the trusted proxy gets a Secure cookie and HSTS', async () => {
      const login = await signIn(trusting, { 'x-forwarded-proto': 'https' });
      expect(login.secure).toBe(true);
      expect(login.hsts).toMatch(/^max-age=31536000/);
      expect(await pageHsts(trusting, { 'x-forwarded-proto': 'https' })).toMatch(/^max-age=31536000/);
    });

    it('plain http through the proxy, or the header from a client nobody trusts, changes nothing', async () => {
      expect(await signIn(trusting, { 'x-forwarded-proto': 'http' })).toEqual({ secure: false, hsts: null });
      expect(await signIn(untrusting, { 'x-forwarded-proto': 'https' })).toEqual({ secure: false, hsts: null });
      expect(await pageHsts(untrusting, { 'x-forwarded-proto': 'https' })).toBeNull();
    });
  });

  it('PUBLIC_URL must be an http(s) origin, with a message that says so', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://support.example.com/' }).publicUrl).toBe('https://support.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    for (const bad of ['ftp://support.example.com', 'javascript:alert(1)', 'support.example.com']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL: must be an http:\/\/ or https:\/\/ URL/);
    }
    for (const bad of ['https://support.example.com/console', 'https://admin:pw@support.example.com', 'https://support.example.com/?x=1']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL: must be only the scheme, host and port/);
    }
  });
});
