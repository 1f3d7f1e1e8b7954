import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '@fernhilfe/server';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';

/** Single sign-on (docs/sso.md): the person is not signed in yet; the callback trusts only the provider's checked answer. */
const SSO_PUBLIC = ['GET /api/auth/oidc/options', 'GET /api/auth/oidc/start', 'GET /api/auth/oidc/callback'];
/** The only /api/ routes that answer without a session. Keep it this short. */
const PUBLIC = ['GET /api/terms', 'GET /api/branding', 'POST /api/auth/login', 'POST /api/setup', 'GET /api/agent/info', 'POST /api/setup/password', ...SSO_PUBLIC];
/** Public and state-changing: they check the Origin header instead of a CSRF token. */
const ORIGIN_CHECKED = ['POST /api/auth/login', 'POST /api/setup', 'POST /api/setup/password'];
/** Issue 18's account and live-session routes: each must be refused to technicians and anonymous callers (the tests below walk them). */
const ACCOUNT_ROUTES = [
  'GET /api/admin/accounts',
  'POST /api/admin/accounts',
  'POST /api/admin/accounts/:id/role',
  'POST /api/admin/accounts/:id/disable',
  'POST /api/admin/accounts/:id/enable',
  'POST /api/admin/accounts/:id/reset-password',
  'POST /api/admin/accounts/:id/reset-2fa',
  'GET /api/admin/live-sessions',
  'POST /api/admin/live-sessions/:id/end',
  'POST /api/account/password',
];
/** Issue 19's support cases (docs/cases.md): technicians and admins only; the walks above and below cover them. */
const CASE_ROUTES = ['GET /api/cases', 'GET /api/cases/events', 'POST /api/cases', 'POST /api/cases/:id/assign', 'POST /api/cases/:id/take', 'POST /api/cases/:id/close'];
/** Issue 19's recording routes (docs/recording.md): upload by the session's technician (CSRF), list and download by admins. */
const RECORDING_ROUTES = ['GET /api/recordings/policy', 'POST /api/recordings', 'PUT /api/recordings/:id/chunks/:index', 'POST /api/recordings/:id/finish'];
const RECORDING_ADMIN_ROUTES = ['GET /api/recordings', 'GET /api/recordings/:id/file', 'DELETE /api/recordings/:id'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ADMIN_PASSWORD = 'admin password that is long';

const name = (r: RouteInfo) => `${r.method} ${r.url}`;
/** A concrete path for a route pattern: every `:param` and `*` becomes "x". */
const pathOf = (r: RouteInfo) => r.url.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');
/** A HEAD route Fastify adds for a GET route is public exactly when its GET is. */
const isPublic = (r: RouteInfo) => PUBLIC.includes(name({ method: r.method === 'HEAD' ? 'GET' : r.method, url: r.url }));

describe('every API route is authorised', () => {
  let srv: TestServer;
  let apiRoutes: RouteInfo[];
  beforeAll(async () => {
    srv = await startTestServer();
    await srv.accounts.createUser({ login: 'boss', password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
    apiRoutes = srv.routes.filter((r) => r.url.startsWith('/api/'));
  });
  afterAll(() => srv.close());

  const signedIn = async (login: string, password: string) => {
    const session = new HttpSession(srv.url);
    expect((await session.login(login, password)).status).toBe(200);
    return session;
  };

  it('keeps the public allowlist short and every entry real', () => {
    expect(PUBLIC.length).toBeLessThanOrEqual(6 + SSO_PUBLIC.length);
    for (const entry of PUBLIC) expect(apiRoutes.map(name)).toContain(entry);
    // The collector sees routes from every plugin, so a new route cannot slip past these tests.
    expect(apiRoutes.map(name)).toEqual(expect.arrayContaining(['POST /api/auth/logout', 'PUT /api/admin/branding', 'POST /api/auth/totp/setup', ...ACCOUNT_ROUTES, ...CASE_ROUTES]));
    expect(apiRoutes.map(name)).toContain('GET /api/admin/programs'); // the first-start build's status (agent-build/)
    expect(apiRoutes.map(name)).toEqual(expect.arrayContaining([...RECORDING_ROUTES, ...RECORDING_ADMIN_ROUTES]));
  });

  it('refuses the recording list and downloads to technicians, and a start to a technician without a session', async () => {
    const tech = await signedIn(TECH_LOGIN, TECH_PASSWORD);
    for (const entry of RECORDING_ADMIN_ROUTES) {
      const [method = '', path = ''] = entry.split(' ');
      expect((await tech.call(method, path.replace(':id', '00000000-0000-4000-8000-000000000000'))).status, entry).toBe(403);
    }
    const start = await tech.call('POST', '/api/recordings', { body: { customerId: '123456789' } });
    expect(start.status).toBe(403);
    expect(JSON.stringify(start.body)).toMatch(/switched off|not connected/);
  });

  it('answers 401 to every other API route without a session, or with a forged one', async () => {
    const protectedRoutes = apiRoutes.filter((r) => !isPublic(r));
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(8);
    const wrong: string[] = [];
    for (const route of protectedRoutes) {
      for (const cookie of [undefined, 'fh_session=forged']) {
        const session = new HttpSession(srv.url);
        session.cookie = cookie;
        const body = STATE_CHANGING.has(route.method) ? {} : undefined;
        const { status } = await session.call(route.method, pathOf(route), { body });
        if (status !== 401) wrong.push(`${name(route)} (${cookie ?? 'no cookie'}) -> ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers the public routes without a session', async () => {
    const anonymous = new HttpSession(srv.url);
    expect((await anonymous.call('GET', '/api/terms')).status).toBe(200);
    expect((await anonymous.call('GET', '/api/branding')).status).toBe(200);
  });

  it('refuses every state-changing API route without the CSRF token, even to an admin', async () => {
    const admin = await signedIn('boss', ADMIN_PASSWORD);
    const changing = apiRoutes.filter((r) => STATE_CHANGING.has(r.method) && !ORIGIN_CHECKED.includes(name(r)));
    expect(changing.length).toBeGreaterThanOrEqual(5);
    const wrong: string[] = [];
    for (const route of changing) {
      const { status, body } = await admin.call(route.method, pathOf(route), { body: {}, noCsrf: true });
      if (status !== 403) wrong.push(`${name(route)} -> ${status}`);
      else expect(body).toMatchObject({ error: { code: 'csrf_failed' } });
    }
    expect(wrong).toEqual([]);
    expect((await admin.call('GET', '/api/auth/me')).status).toBe(200); // the session survived all that
  });

  it('hands out no session through the single sign-on routes without a provider, under the strict CSP', async () => {
    for (const path of ['/api/auth/oidc/start', '/api/auth/oidc/callback?state=forged&code=forged']) {
      const res = await fetch(new URL(path, srv.url), { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe('/console/?sso-error=not-configured');
      expect(res.headers.getSetCookie().filter((c) => c.startsWith('fh_session=')), path).toEqual([]);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
    }
  });

  it('refuses sign-in and setup from another origin', async () => {
    const evil = { origin: 'https://evil.example' };
    for (const entry of ORIGIN_CHECKED) {
      const [method = '', path = ''] = entry.split(' ');
      const response = await new HttpSession(srv.url).call(method, path, { body: { login: TECH_LOGIN, password: TECH_PASSWORD }, headers: evil });
      expect(response.status, entry).toBe(403);
      expect(response.body).toMatchObject({ error: { code: 'origin_mismatch' } });
      expect(response.setsSession).toBe(false);
    }
    const sameOrigin = await new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD, { headers: { origin: srv.url } });
    expect(sameOrigin.status).toBe(200);
  });

  it('has no /metrics on the public port without METRICS_TOKEN; with it, only the token opens it (docs/metrics.md)', async () => {
    expect(srv.routes.map(name)).not.toContain('GET /metrics');
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(404);
    await using metered = await startTestServer({ METRICS_TOKEN: 'metrics-token-'.repeat(3) });
    expect(metered.routes.map(name)).toContain('GET /metrics');
    const tech = new HttpSession(metered.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    for (const headers of [{}, { cookie: tech.cookie!, 'x-csrf-token': tech.csrfToken! }] as Record<string, string>[]) expect((await fetch(`${metered.url}/metrics`, { headers })).status).toBe(401);
    expect((await fetch(`${metered.url}/metrics`, { headers: { authorization: `Bearer ${'metrics-token-'.repeat(3)}` } })).status).toBe(200);
  });

  it('refuses every admin route to a technician, even with the CSRF token', async () => {
    const tech = await signedIn(TECH_LOGIN, TECH_PASSWORD);
    const adminRoutes = apiRoutes.filter((r) => r.url.startsWith('/api/admin/'));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(1);
    for (const route of adminRoutes) {
      const body = STATE_CHANGING.has(route.method) ? {} : undefined;
      const response = await tech.call(route.method, pathOf(route), { body });
      expect(response.status, name(route)).toBe(403);
      if (route.method !== 'HEAD') expect(response.body).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});
