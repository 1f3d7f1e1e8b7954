import { URI } from 'otpauth';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BRANDING } from '@fernhilfe/protocol';
import { testBackends } from '../support/postgres.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';

const ADMIN_PASSWORD = 'admin password that is long';
const custom = {
  companyName: '<img src=x onerror=alert(1)>',
  supportPhone: '+49 (30) 1234-56/7',
  primaryColor: '#112233',
  accentColor: '#aBcDeF',
  website: 'hilfe.example.de',
};

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('branding on $name', (backend) => {
  let srv: TestServer;
  let admin: HttpSession;
  beforeEach(async () => {
    const { databaseUrl } = await backend.freshDatabase();
    srv = await startTestServer(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
    await srv.accounts.createUser({ login: 'boss', password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
    admin = new HttpSession(srv.url);
    expect((await admin.login('boss', ADMIN_PASSWORD)).status).toBe(200);
  });
  afterEach(() => srv.close());

  const publicBranding = () => new HttpSession(srv.url).call('GET', '/api/branding');
  const put = (session: HttpSession, body: unknown, noCsrf = false) => session.call('PUT', '/api/admin/branding', { body, noCsrf });

  it('serves the defaults to anyone until an admin sets them, never cached', async () => {
    const response = await publicBranding();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({ companyName: 'Fernhilfe', supportPhone: '', primaryColor: '#0b5cad', accentColor: '#f0a500', website: '' });
    expect(response.body).toEqual(DEFAULT_BRANDING);
  });

  it('stores what an admin saves, verbatim, and serves it back', async () => {
    const saved = await put(admin, custom);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(custom);
    const read = await publicBranding();
    expect(read.body).toEqual(custom);
    const row = await srv.database.db.selectFrom('settings').selectAll().where('key', '=', 'branding').executeTakeFirstOrThrow();
    expect(JSON.parse(row.value)).toEqual(custom);

    const again = { ...custom, companyName: 'ACME Hilfe', website: '' };
    expect((await put(admin, again)).status).toBe(200);
    expect((await publicBranding()).body).toEqual(again);
  });

  it('refuses invalid values, naming the field, and keeps what was there', async () => {
    await put(admin, custom);
    const cases: [string, unknown][] = [
      ['companyName', { ...custom, companyName: '' }],
      ['companyName', { ...custom, companyName: 'x'.repeat(121) }],
      ['supportPhone', { ...custom, supportPhone: 'call me maybe' }],
      ['primaryColor', { ...custom, primaryColor: 'red' }],
      ['accentColor', { ...custom, accentColor: '#12345g' }],
      ['website', { ...custom, website: 'https://evil.example/login' }],
      ['logoUrl', { ...custom, logoUrl: 'https://evil.example/x.png' }],
      ['website', { companyName: 'No Site', supportPhone: '', primaryColor: '#000000', accentColor: '#ffffff' }],
    ];
    for (const [field, body] of cases) {
      const response = await put(admin, body);
      expect(response.status, field).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'invalid', field, message: expect.stringContaining(`${field}: `) } });
    }
    const empty = await admin.call('PUT', '/api/admin/branding', { body: undefined, headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { code: 'invalid' } });
    expect((await publicBranding()).body).toEqual(custom);
  });

  it('refuses anyone but an admin with the CSRF token', async () => {
    expect((await put(new HttpSession(srv.url), custom)).status).toBe(401);
    const tech = new HttpSession(srv.url);
    await tech.login(TECH_LOGIN, TECH_PASSWORD);
    const refused = await put(tech, custom);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    expect((await put(admin, custom, true)).status).toBe(403);
    expect((await publicBranding()).body).toEqual(DEFAULT_BRANDING);
  });

  it('names the company in authenticator apps', async () => {
    await put(admin, { ...custom, companyName: 'ACME Hilfe' });
    const tech = new HttpSession(srv.url);
    await tech.login(TECH_LOGIN, TECH_PASSWORD);
    const { body } = await tech.call('POST', '/api/auth/totp/setup', { body: {} });
    const { otpauthUri } = body as { otpauthUri: string };
    expect(URI.parse(otpauthUri)).toMatchObject({ issuer: 'ACME Hilfe', label: TECH_LOGIN });
  });
});
