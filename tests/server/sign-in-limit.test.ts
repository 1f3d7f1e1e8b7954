import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';
import { currentCode, signInAt, tally, wrongCodes } from './sign-in-burst.js';

const ADMIN = 'boss';
const ADMIN_PASSWORD = 'admin password that is long';

/**
 * The sign-in limit on one real server, with client addresses set through a trusted proxy
 * (X-Forwarded-For from 127.0.0.1). An attempt is counted before its password is hashed, so a burst
 * of parallel requests is evaluated only up to the limit (finding 1); the hard limit is per login
 * and address, so guessing from one address does not lock the account elsewhere (finding 10).
 */
describe('sign-in limit on one node', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ TRUST_PROXY: '127.0.0.1' });
    await srv.accounts.createUser({ login: ADMIN, password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
  });
  afterAll(() => srv?.close());

  it('200 concurrent wrong sign-ins for one login from one address: at most 10 are evaluated, the rest get 429', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => signInAt(srv.url, { login: ADMIN, password: `wrong guess ${i}!` }, '203.0.113.10')));
    const { evaluated, refused, other } = tally(answers);
    expect(other).toEqual([]);
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(refused).toBe(200 - evaluated);
    expect(answers.some((a) => a.setsCookie)).toBe(false);
  }, 240_000);

  it('200 concurrent wrong sign-ins for 200 logins from one address: at most 30 are evaluated, the rest get 429', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => signInAt(srv.url, { login: `user${i}`, password: 'wrong guess!!' }, '203.0.113.11')));
    const { evaluated, refused, other } = tally(answers);
    expect(other).toEqual([]);
    expect(evaluated).toBeLessThanOrEqual(30);
    expect(refused).toBe(200 - evaluated);
  }, 240_000);

  it('the right password with 200 concurrent wrong two-factor codes: at most 10 codes are checked', async () => {
    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.50' } })).status).toBe(200);
    const { secret } = (await tech.call('POST', '/api/auth/totp/setup', { body: {}, headers: { 'x-forwarded-for': '198.51.100.50' } })).body as { secret: string };
    expect((await tech.call('POST', '/api/auth/totp/enable', { body: { code: currentCode(secret) }, headers: { 'x-forwarded-for': '198.51.100.50' } })).status).toBe(204);

    const codes = wrongCodes(secret, 200);
    const answers = await Promise.all(codes.map((totp) => signInAt(srv.url, { login: TECH_LOGIN, password: TECH_PASSWORD, totp }, '203.0.113.12')));
    const { evaluated, refused, other } = tally(answers);
    expect(other).toEqual([]);
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(refused).toBe(200 - evaluated);
    expect(answers.some((a) => a.setsCookie)).toBe(false);
  }, 240_000);

  it('an attacker at one address cannot lock the admin out: the admin signs in from another address at once', async () => {
    for (let i = 0; i < 15; i++) await signInAt(srv.url, { login: ADMIN, password: `wrong guess ${i}!` }, '203.0.113.20');
    const attacker = await signInAt(srv.url, { login: ADMIN, password: ADMIN_PASSWORD }, '203.0.113.20');
    expect(attacker.status).toBe(429); // even the right password, from the guessing address
    expect(attacker.retryAfter).toBeGreaterThan(0);
    const admin = await signInAt(srv.url, { login: ADMIN, password: ADMIN_PASSWORD }, '198.51.100.20');
    expect(admin.status).toBe(200);
    expect(admin.setsCookie).toBe(true);
  }, 240_000);

  it('failures from many addresses slow the login (Retry-After of at most 2 s) instead of locking it', async () => {
    const login = 'victim';
    await srv.accounts.createUser({ login, password: ADMIN_PASSWORD, role: 'technician', displayName: 'Victim', company: '' });
    const wave = (from: number, n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => signInAt(srv.url, { login, password: 'wrong guess!!' }, `192.0.2.${from + i}`)));
    expect(tally(await wave(1, 30)).evaluated).toBe(30);
    const slowed = tally(await wave(100, 20));
    expect(slowed.evaluated).toBeGreaterThanOrEqual(1); // one slot per 2 s, not a lock
    expect(slowed.evaluated).toBeLessThan(20);
    const refusals = (await wave(150, 5)).filter((a) => a.status === 429);
    for (const r of refusals) expect(r.retryAfter).toBeLessThanOrEqual(2);

    // the owner at their own address: at worst a short wait, then in
    await expect
      .poll(async () => (await signInAt(srv.url, { login, password: ADMIN_PASSWORD }, '198.51.100.77')).status, { timeout: 15_000, interval: 1000 })
      .toBe(200);
  }, 240_000);
});
