import { apiRoutes, findApiRoute } from '@fernhilfe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, seedReports, type Fixture } from '../reports/fixture.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { checkReply } from './contract.js';
import { HttpSession } from './http-session.js';

/**
 * The server's replies against the contracts in @fernhilfe/protocol (src/api/): every JSON route it
 * serves is in the table, and one real call per route family parses with its reply schema
 * (HttpSession checks every successful reply; see contract.ts).
 */
describe('the HTTP API keeps its contracts', () => {
  let srv: TestServer;
  let f: Fixture;
  let admin: HttpSession;
  let tech: HttpSession;

  beforeAll(async () => {
    srv = await startTestServer();
    f = await seedReports(srv);
    admin = new HttpSession(srv.url);
    expect((await admin.login(ADMIN.login, ADMIN.password)).status).toBe(200);
    tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
  });
  afterAll(() => srv?.close());

  it('has a contract for every JSON route under /api/ the server registers', () => {
    // the sign-in redirects of single sign-on answer with a 302 to the provider or the console, not JSON; the queue's event stream is text/event-stream
    const notJson = new Set(['GET /api/reports/sessions.csv', 'GET /api/auth/oidc/start', 'GET /api/auth/oidc/callback', 'GET /api/cases/events' /* server-sent events (docs/cases.md) */, 'PUT /api/recordings/:id/chunks/:index', 'GET /api/recordings/:id/file' /* ciphertext bytes (docs/recording.md) */]);
    const served = srv.routes.filter((r) => r.method !== 'HEAD' && (r.url.startsWith('/api/') || r.url === '/healthz')).map((r) => `${r.method} ${r.url}`);
    const missing = served.filter((route) => !notJson.has(route) && !findApiRoute(route.split(' ')[0]!, route.split(' ')[1]!.replace(':id', 'x')));
    expect(missing).toEqual([]);
    // and the table names nothing the server does not serve
    const table = Object.values(apiRoutes).map((r) => `${r.method} ${r.path}`);
    expect(table.filter((route) => !served.includes(route))).toEqual([]);
  });

  it('public: health, terms, branding, agent download info', async () => {
    const anyone = new HttpSession(srv.url);
    for (const path of ['/healthz', '/api/terms', '/api/branding', '/api/agent/info']) expect((await anyone.call('GET', path)).status).toBe(200);
  });

  it('auth: who am I, CSRF token, WebSocket ticket, sign-out', async () => {
    const s = new HttpSession(srv.url);
    expect((await s.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    expect((await s.call('GET', '/api/auth/me')).status).toBe(200);
    expect((await s.call('GET', '/api/auth/csrf')).status).toBe(200);
    expect((await s.call('POST', '/api/auth/ws-ticket')).status).toBe(200);
    expect((await s.call('POST', '/api/auth/totp/setup')).status).toBe(200);
    expect((await s.call('POST', '/api/auth/logout')).status).toBe(204);
  });

  it('admin: branding, logo, terms', async () => {
    const branding = (await admin.call('GET', '/api/branding')).body as Record<string, string>;
    expect((await admin.call('PUT', '/api/admin/branding', { body: { ...branding, companyName: 'ACME Support' } })).status).toBe(200);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4bb0000000049454e44ae426082', 'hex');
    expect((await admin.call('PUT', '/api/admin/branding/logo', { body: { type: 'image/png', data: png.toString('base64') } })).status).toBe(200);
    expect((await admin.call('DELETE', '/api/admin/branding/logo')).status).toBe(200);
    expect((await admin.call('GET', '/api/admin/terms')).status).toBe(200);
    expect((await admin.call('PUT', '/api/admin/terms', { body: { de: '# AGB\n\nNeu.', en: '# Terms\n\nNew.' } })).status).toBe(200);
  });

  it('audit: the log, its check, a signed head', async () => {
    const page = await admin.call('GET', '/api/admin/audit?limit=5');
    expect((page.body as { entries: unknown[] }).entries.length).toBeGreaterThan(0);
    expect((await admin.call('GET', '/api/admin/audit/verify')).body).toMatchObject({ ok: true });
    expect((await admin.call('GET', '/api/admin/audit/head')).status).toBe(200);
  });

  it('reports: the rows, one session, the technicians', async () => {
    const rows = await admin.call('GET', '/api/reports/sessions?from=2026-02-01&to=2026-04-01');
    expect((rows.body as { sessions: unknown[] }).sessions.length).toBeGreaterThan(0);
    expect((await tech.call('GET', `/api/reports/sessions/${f.s.march1Max}`)).status).toBe(200);
    expect((await admin.call('GET', '/api/admin/technicians')).status).toBe(200);
  });

  it('fails a reply with a field the contract lacks, or a wrong type', async () => {
    const me = (await tech.call('GET', '/api/auth/me')).body as { user: Record<string, unknown> };
    expect(() => checkReply('GET', '/api/auth/me', 200, { user: { ...me.user, passwordHash: 'x' } })).toThrow(/broke its contract/);
    expect(() => checkReply('GET', '/api/auth/me', 200, { user: { ...me.user, totpEnabled: 'no' } })).toThrow(/user\.totpEnabled/);
    const row = ((await admin.call('GET', '/api/reports/sessions?from=2026-02-01&to=2026-04-01')).body as { sessions: Record<string, unknown>[] }).sessions[0]!;
    expect(() => checkReply('GET', '/api/reports/sessions', 200, { sessions: [{ ...row, durationSeconds: '1800' }] })).toThrow(/sessions\.0\.durationSeconds/);
    expect(() => checkReply('POST', '/api/auth/logout', 204, { ok: true })).toThrow(/contract says none/);
  });
});
