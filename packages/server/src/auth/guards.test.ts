import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { AccountService } from './accounts.js';
import type { Role } from '../storage/schema.js';
import { registerAuthRoutes } from './routes.js';

const PASSWORD = 'correct horse battery staple';
const [sqlite] = testBackends();
afterAll(() => sqlite?.dispose());

describe('requireAdmin', () => {
  let database: Database;
  let accounts: AccountService;
  let app: FastifyInstance;

  beforeEach(async () => {
    database = await createDatabase(await sqlite!.freshDatabase());
    await migrateToLatest(database.db);
    accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), passwordCost: 12 });
    app = Fastify();
    const { requireAdmin } = await registerAuthRoutes(app, { accounts, secureCookies: false });
    app.get('/api/admin/thing', { preHandler: requireAdmin }, async () => ({ ok: true }));
    app.put('/api/admin/thing', { preHandler: requireAdmin }, async (request) => ({ by: request.webSession?.user.login }));
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await database.close();
  });

  const signIn = async (login: string, role: Role) => {
    await accounts.createUser({ login, password: PASSWORD, role, displayName: login, company: '' });
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: PASSWORD } });
    const fh_session = response.cookies.find((c) => c.name === 'fh_session')?.value ?? '';
    return { cookies: { fh_session }, csrf: { 'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken } };
  };

  it('answers 401 without a session', async () => {
    expect((await app.inject({ url: '/api/admin/thing' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'PUT', url: '/api/admin/thing', payload: {} })).statusCode).toBe(401);
  });

  it('answers 403 to a technician, even with the CSRF token', async () => {
    const { cookies, csrf } = await signIn('tech', 'technician');
    const get = await app.inject({ url: '/api/admin/thing', cookies });
    expect(get.statusCode).toBe(403);
    expect(get.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await app.inject({ method: 'PUT', url: '/api/admin/thing', cookies, headers: csrf, payload: {} })).statusCode).toBe(403);
  });

  it('lets an admin read without, and change only with, the CSRF token', async () => {
    const { cookies, csrf } = await signIn('boss', 'admin');
    expect((await app.inject({ url: '/api/admin/thing', cookies })).json()).toEqual({ ok: true });
    const noCsrf = await app.inject({ method: 'PUT', url: '/api/admin/thing', cookies, payload: {} });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    const ok = await app.inject({ method: 'PUT', url: '/api/admin/thing', cookies, headers: csrf, payload: {} });
    expect(ok.json()).toEqual({ by: 'boss' });
  });
});
