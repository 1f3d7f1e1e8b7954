import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { AccountService } from './accounts.js';
import { FailureLimiter } from './rate-limit.js';
import { registerAuthRoutes } from './routes.js';

const PASSWORD = 'correct horse battery staple';
const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

async function buildApp(accounts: AccountService, opts: { secureCookies?: boolean; limiter?: FailureLimiter } = {}) {
  const app = Fastify({ trustProxy: true });
  const guards = await registerAuthRoutes(app, { accounts, secureCookies: opts.secureCookies ?? true, limiter: opts.limiter });
  app.post('/api/example', { preHandler: guards.requireCsrf }, async (request) => ({ by: request.webSession?.user.login }));
  await app.ready();
  return app;
}

function sessionCookie(response: LightMyRequestResponse) {
  return response.cookies.find((c) => c.name === 'fh_session');
}

describe.each(backends)('auth routes on $name', (backend) => {
  let database: Database;
  let accounts: AccountService;
  let app: FastifyInstance;

  beforeEach(async () => {
    database = await createDatabase(await backend.freshDatabase());
    await migrateToLatest(database.db);
    accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), passwordCost: 12 });
    app = await buildApp(accounts);
  });
  afterEach(async () => {
    await app.close();
    await database.close();
  });

  const addAlice = () =>
    accounts.createUser({ login: 'alice', password: PASSWORD, role: 'technician', displayName: 'Alice', company: 'ACME' });
  const login = (body: object, headers: Record<string, string> = {}, remoteAddress = '198.51.100.1') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: body, headers, remoteAddress });
  const signIn = async () => {
    await addAlice();
    const response = await login({ login: 'alice', password: PASSWORD });
    const body = response.json<{ csrfToken: string }>();
    return { cookies: { fh_session: sessionCookie(response)?.value ?? '' }, csrfToken: body.csrfToken };
  };

  describe('POST /api/setup', () => {
    const setupBody = (token: string) => ({ token, login: 'Admin', password: PASSWORD, displayName: 'The Admin', company: 'ACME' });

    it('creates the first admin with a valid token and signs them in', async () => {
      const token = await accounts.createSetupToken();
      const response = await app.inject({ method: 'POST', url: '/api/setup', payload: setupBody(token) });
      expect(response.statusCode).toBe(201);
      const body = response.json<{ user: object; csrfToken: string }>();
      expect(body.user).toEqual({ id: expect.any(String), login: 'admin', displayName: 'The Admin', company: 'ACME', role: 'admin', totpEnabled: false });
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const me = await app.inject({ url: '/api/auth/me', cookies: { fh_session: sessionCookie(response)?.value ?? '' } });
      expect(me.json()).toEqual({ user: body.user });

      const again = await app.inject({ method: 'POST', url: '/api/setup', payload: { ...setupBody(token), login: 'other' } });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'already_set_up' } });
    });

    it('refuses a wrong token without creating anyone', async () => {
      const response = await app.inject({ method: 'POST', url: '/api/setup', payload: setupBody('guess') });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ error: { code: 'setup_token_invalid', message: 'The setup token is wrong, expired or already used.' } });
      expect(await accounts.countUsers()).toBe(0);
    });
  });

  describe('POST /api/auth/login', () => {
    it('sets an HttpOnly, SameSite=Strict, Secure session cookie', async () => {
      await addAlice();
      const response = await login({ login: 'Alice', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        user: { id: expect.any(String), login: 'alice', displayName: 'Alice', company: 'ACME', role: 'technician', totpEnabled: false },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      expect(sessionCookie(response)).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Strict', secure: true });
      expect(String(response.headers['set-cookie'])).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
    });

    it('leaves out Secure when the server is told to', async () => {
      await app.close();
      app = await buildApp(accounts, { secureCookies: false });
      await addAlice();
      const response = await login({ login: 'alice', password: PASSWORD });
      expect(sessionCookie(response)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      expect(sessionCookie(response)?.secure).toBeUndefined();
    });

    it('refuses a wrong password without echoing it', async () => {
      await addAlice();
      const response = await login({ login: 'alice', password: 'wrong password 123' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: { code: 'invalid_credentials', message: 'The login name or password is wrong.' } });
      expect(response.body).not.toContain('wrong password 123');
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('explains a malformed body', async () => {
      const response = await login({ login: 'alice' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('password') } });
      const notJson = await app.inject({ method: 'POST', url: '/api/auth/login', payload: '{', headers: { 'content-type': 'application/json' } });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json()).toMatchObject({ error: { code: 'invalid_request' } });
    });

    it('refuses a request from another origin', async () => {
      await addAlice();
      const foreign = await login({ login: 'alice', password: PASSWORD }, { origin: 'https://evil.example', host: 'support.example' });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toMatchObject({ error: { code: 'origin_mismatch' } });
      const same = await login({ login: 'alice', password: PASSWORD }, { origin: 'https://support.example', host: 'support.example' });
      expect(same.statusCode).toBe(200);
    });

    it('answers 429 after 10 failures for one login from one address, even with the right password; not to another address', async () => {
      await addAlice();
      for (let i = 0; i < 10; i++) {
        expect((await login({ login: 'alice', password: `wrong password ${i}` }, {}, '203.0.113.1')).statusCode).toBe(401);
      }
      const blocked = await login({ login: 'alice', password: PASSWORD }, {}, '203.0.113.1');
      expect(blocked.statusCode).toBe(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(blocked.json()).toMatchObject({ error: { code: 'rate_limited', retryAfterSeconds: retryAfter } });
      expect((await login({ login: 'alice', password: PASSWORD }, {}, '203.0.113.99')).statusCode).toBe(200);
    });

    it('limits failures per source IP across logins, honouring X-Forwarded-For', async () => {
      await app.close();
      app = await buildApp(accounts, { limiter: new FailureLimiter({ policy: { ipMax: 3 } }) });
      await addAlice();
      const from = { 'x-forwarded-for': '192.0.2.7' };
      for (const name of ['bob', 'carol', 'dave']) {
        expect((await login({ login: name, password: PASSWORD }, from)).statusCode).toBe(401);
      }
      expect((await login({ login: 'alice', password: PASSWORD }, from)).statusCode).toBe(429);
      expect((await login({ login: 'alice', password: PASSWORD }, { 'x-forwarded-for': '192.0.2.8' })).statusCode).toBe(200);
    });
  });

  describe('signed-in routes', () => {
    it('GET /api/auth/me needs a session and returns the user only', async () => {
      expect((await app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/auth/me', cookies: { fh_session: 'forged' } })).statusCode).toBe(401);
      const { cookies } = await signIn();
      const me = await app.inject({ url: '/api/auth/me', cookies });
      expect(me.statusCode).toBe(200);
      expect(Object.keys(me.json())).toEqual(['user']);
    });

    it('GET /api/auth/csrf gives back the token from login', async () => {
      const { cookies, csrfToken } = await signIn();
      const response = await app.inject({ url: '/api/auth/csrf', cookies });
      expect(response.json()).toEqual({ csrfToken });
    });

    it('POST /api/auth/logout needs the CSRF token, then ends the session', async () => {
      const { cookies, csrfToken } = await signIn();
      const missing = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies });
      expect(missing.statusCode).toBe(403);
      expect(missing.json()).toMatchObject({ error: { code: 'csrf_failed' } });
      const wrong = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { 'x-csrf-token': `${csrfToken}x` } });
      expect(wrong.statusCode).toBe(403);
      const ok = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { 'x-csrf-token': csrfToken } });
      expect(ok.statusCode).toBe(204);
      expect(sessionCookie(ok)).toMatchObject({ value: '', path: '/' });
      expect((await app.inject({ url: '/api/auth/me', cookies })).statusCode).toBe(401);
    });

    it('POST /api/auth/ws-ticket needs the CSRF token and issues a single-use ticket', async () => {
      const { cookies, csrfToken } = await signIn();
      expect((await app.inject({ method: 'POST', url: '/api/auth/ws-ticket', cookies })).statusCode).toBe(403);
      const response = await app.inject({ method: 'POST', url: '/api/auth/ws-ticket', cookies, headers: { 'x-csrf-token': csrfToken } });
      const { ticket } = response.json<{ ticket: string }>();
      expect((await accounts.consumeWsTicket(ticket))?.login).toBe('alice');
      expect(await accounts.consumeWsTicket(ticket)).toBeUndefined();
    });

    it('the exported guards protect other routes', async () => {
      expect((await app.inject({ method: 'POST', url: '/api/example' })).statusCode).toBe(401);
      const { cookies, csrfToken } = await signIn();
      expect((await app.inject({ method: 'POST', url: '/api/example', cookies })).statusCode).toBe(403);
      const ok = await app.inject({ method: 'POST', url: '/api/example', cookies, headers: { 'x-csrf-token': csrfToken } });
      expect(ok.json()).toEqual({ by: 'alice' });
    });
  });
});

describe('registerAuthRoutes', () => {
  it('works when the caller registered @fastify/cookie already', async () => {
    const database = await createDatabase(await backends[0]!.freshDatabase());
    await migrateToLatest(database.db);
    const accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), passwordCost: 12 });
    const app = Fastify();
    void app.register(fastifyCookie);
    await registerAuthRoutes(app, { accounts, secureCookies: false });
    await app.ready();
    expect((await app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
    await app.close();
    await database.close();
  });
});
