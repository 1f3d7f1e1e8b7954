import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '@fernhilfe/server';
import { HttpSession } from '../server/http-session.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { ADMIN, seedReports, type Fixture } from './fixture.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const name = (r: RouteInfo) => `${r.method} ${r.url}`;

/**
 * How a technician (max) would try to reach another technician's (eva's) data through each report
 * route. Every registered /api/reports/ route must be listed here: a new one fails the first test
 * until someone says how it is protected.
 */
const REPORT_PROBES: Record<string, (f: Fixture) => { path: string; status: number }[]> = {
  'GET /api/reports/sessions': (f) => [{ path: `/api/reports/sessions?technician=${f.evaId}`, status: 403 }],
  'GET /api/reports/sessions.csv': (f) => [{ path: `/api/reports/sessions.csv?technician=${f.evaId}`, status: 403 }],
  'GET /api/reports/sessions/:id': (f) => [
    { path: `/api/reports/sessions/${f.s.march2Eva}`, status: 404 },
    { path: `/api/reports/sessions/${f.s.march1Nobody}`, status: 404 },
  ],
};

describe('a technician cannot reach settings, the audit log or another technician’s reports (every route)', () => {
  let srv: TestServer;
  let f: Fixture;
  let tech: HttpSession;
  let admin: HttpSession;
  let routes: RouteInfo[];

  beforeAll(async () => {
    srv = await startTestServer();
    f = await seedReports(srv);
    tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    admin = new HttpSession(srv.url);
    expect((await admin.login(ADMIN.login, ADMIN.password)).status).toBe(200);
    routes = srv.routes.filter((r) => r.method !== 'HEAD');
  });
  afterAll(() => srv?.close());

  it('knows every report route, and sees the settings and audit routes it protects', () => {
    const reportRoutes = routes.filter((r) => r.url.startsWith('/api/reports/')).map(name);
    expect(reportRoutes.sort()).toEqual(Object.keys(REPORT_PROBES).sort());
    expect(routes.map(name)).toEqual(
      expect.arrayContaining([
        'GET /api/admin/terms',
        'PUT /api/admin/terms',
        'PUT /api/admin/branding',
        'PUT /api/admin/branding/logo',
        'DELETE /api/admin/branding/logo',
        'GET /api/admin/audit',
        'GET /api/admin/audit/verify',
        'GET /api/admin/technicians',
      ]),
    );
  });

  it('every /api/admin/ route answers 403 to a technician (with the CSRF token) and changes nothing', async () => {
    const before = await admin.call('GET', '/api/admin/terms');
    const adminRoutes = routes.filter((r) => r.url.startsWith('/api/admin/'));
    const wrong: string[] = [];
    for (const route of adminRoutes) {
      const body = STATE_CHANGING.has(route.method) ? { de: 'x', en: 'x', companyName: 'Evil', type: 'image/png', data: 'iVBORw0KGgo=' } : undefined;
      const res = await tech.call(route.method, route.url.replace(/:[^/]+/g, f.s.march2Eva), { body });
      if (res.status !== 403 || (res.body as { error?: { code?: string } }).error?.code !== 'forbidden') wrong.push(`${name(route)} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
    expect((await admin.call('GET', '/api/admin/terms')).body).toEqual(before.body);
    expect((await new HttpSession(srv.url).call('GET', '/api/branding')).body).toMatchObject({ companyName: 'Fernhilfe' });
    expect((await fetch(`${srv.url}/branding/logo`)).status).toBe(404);
  });

  it('every report route refuses another technician’s sessions, and an admin gets them', async () => {
    // raw fetch: the CSV route answers text
    const get = async (session: HttpSession, path: string) => {
      const res = await fetch(`${srv.url}${path}`, { headers: { cookie: session.cookie!, 'x-csrf-token': session.csrfToken! } });
      return { status: res.status, text: await res.text() };
    };
    const wrong: string[] = [];
    for (const [route, probes] of Object.entries(REPORT_PROBES)) {
      for (const probe of probes(f)) {
        const res = await get(tech, probe.path);
        if (res.status !== probe.status) wrong.push(`${route} ${probe.path} -> ${res.status}`);
        if (res.text.includes(f.s.march2Eva.slice(-12))) wrong.push(`${route} leaked eva's session`);
        const asAdmin = await get(admin, probe.path);
        if (asAdmin.status !== 200) wrong.push(`${route} ${probe.path} -> ${asAdmin.status} for the admin`);
      }
    }
    expect(wrong).toEqual([]);
    // and the plain listing never contains eva's session
    const mine = await tech.call('GET', '/api/reports/sessions');
    expect(JSON.stringify(mine.body)).not.toContain(f.s.march2Eva);
    expect(JSON.stringify(mine.body)).not.toContain(f.s.march1Nobody);
  });
});
