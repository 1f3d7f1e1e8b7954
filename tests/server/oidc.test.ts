import { freePort } from '@fernhilfe/testkit';
import { SSO_STARTS_PER_MINUTE } from '../../packages/server/src/oidc/routes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { testBackends } from '../support/postgres.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';
import { SsoBrowser } from './oidc-browser.js';

/**
 * Single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1): the browser is driven
 * by HTTP through the provider's own login form; docs/sso.md.
 */
const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

async function startPair(extraEnv: Record<string, string> = {}, databaseUrl?: string): Promise<{ idp: TestProvider; srv: TestServer }> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const idp = await startTestProvider(publicUrl);
  const srv = await startTestServer({ PORT: String(port), PUBLIC_URL: publicUrl, ...idp.env(), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...extraEnv });
  return { idp, srv };
}

const ssoUsers = (srv: TestServer) => srv.database.db.selectFrom('users').selectAll().where('oidc_subject', 'is not', null).execute();

describe.each(backends)('single sign-on with OpenID Connect on $name', (backend) => {
  let idp: TestProvider;
  let srv: TestServer;
  beforeAll(async () => {
    const { databaseUrl } = await backend.freshDatabase();
    ({ idp, srv } = await startPair({}, databaseUrl));
    idp.users.set('anna', { name: 'Anna Admin', preferred_username: 'Anna.Berg', email: 'anna@example.com', groups: ['support-staff'] });
    idp.users.set('olaf', { name: 'Olaf Outsider', preferred_username: 'olaf', groups: ['sales'] });
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  it('offers the provider on the sign-in form', async () => {
    const options = await new SsoBrowser(srv.url).api('/api/auth/oidc/options');
    expect(options).toEqual({ status: 200, body: { sso: { providerName: 'Test IdP' }, localAccounts: true } });
  });

  it('creates the account at the first sign-in, signs in, and finds it again by subject the next time', async () => {
    const browser = new SsoBrowser(srv.url);
    const landed = await browser.signIn('anna');
    expect(landed.pathname + landed.search).toBe('/console/');
    expect(browser.cookies(srv.url).has('fh_session')).toBe(true);
    expect(browser.cookies(srv.url).has('fh_oidc')).toBe(false); // the binding cookie is gone after use
    const me = await browser.api('/api/auth/me');
    expect(me).toMatchObject({ status: 200, body: { user: { login: 'anna.berg', displayName: 'Anna Admin', role: 'technician', company: '' } } });
    expect((await browser.api('/api/admin/audit')).status).toBe(403); // a technician

    const again = new SsoBrowser(srv.url);
    expect((await again.signIn('anna')).search).toBe('');
    const rows = await ssoUsers(srv);
    expect(rows.map((r) => [r.login, r.oidc_issuer, r.oidc_subject])).toEqual([['anna.berg', idp.issuer, 'anna']]);
  });

  it('takes the role from the claim at every sign-in, and writes the audit trail', async () => {
    idp.users.set('anna', { ...idp.users.get('anna'), groups: ['support-staff', 'support-admins'] });
    const browser = new SsoBrowser(srv.url);
    expect((await browser.signIn('anna')).search).toBe('');
    expect(await browser.api('/api/auth/me')).toMatchObject({ body: { user: { login: 'anna.berg', role: 'admin' } } });
    const audit = await browser.api('/api/admin/audit?limit=50');
    expect(audit.status).toBe(200);
    const entries = (audit.body as { entries: { event: string; actor: string; data: Record<string, unknown> }[] }).entries;
    const id = (await ssoUsers(srv))[0]!.id;
    expect(entries.filter((e) => e.event === 'sso-account-created')).toEqual([
      expect.objectContaining({ actor: 'server', data: expect.objectContaining({ userId: id, login: 'anna.berg', role: 'technician' }) }),
    ]);
    expect(entries.filter((e) => e.event === 'sso-signed-in').map((e) => [e.actor, e.data.role, e.data.previousRole])).toEqual([
      [`admin:${id}`, 'admin', 'technician'],
      [`technician:${id}`, 'technician', null],
      [`technician:${id}`, 'technician', null],
    ]);

    idp.users.set('anna', { ...idp.users.get('anna'), groups: ['support-staff'] });
    const later = new SsoBrowser(srv.url);
    await later.signIn('anna');
    expect(await later.api('/api/auth/me')).toMatchObject({ body: { user: { role: 'technician' } } });
    expect((await later.api('/api/admin/audit')).status).toBe(403);
  });

  it('refuses a person without a mapped role, and creates no account', async () => {
    const browser = new SsoBrowser(srv.url);
    const landed = await browser.signIn('olaf');
    expect(landed.pathname + landed.search).toBe('/console/?sso-error=no-role');
    expect(browser.cookies(srv.url).has('fh_session')).toBe(false);
    expect((await ssoUsers(srv)).map((r) => r.oidc_subject)).not.toContain('olaf');
  });

  it('refuses a disabled account, and its open web session stops working', async () => {
    const open = new SsoBrowser(srv.url);
    await open.signIn('anna');
    expect((await open.api('/api/auth/me')).status).toBe(200);
    await srv.database.db.updateTable('users').set({ disabled_at: Date.now() }).where('oidc_subject', '=', 'anna').execute();
    try {
      const browser = new SsoBrowser(srv.url);
      const landed = await browser.signIn('anna');
      expect(landed.pathname + landed.search).toBe('/console/?sso-error=account-disabled');
      expect(browser.cookies(srv.url).has('fh_session')).toBe(false);
      expect((await open.api('/api/auth/me')).status).toBe(401);
    } finally {
      await srv.database.db.updateTable('users').set({ disabled_at: null }).where('oidc_subject', '=', 'anna').execute();
    }
  });

  it('refuses an ID token issued for another client (wrong audience)', async () => {
    idp.forgeAudience = 'another-client';
    try {
      const browser = new SsoBrowser(srv.url);
      const landed = await browser.signIn('anna');
      expect(landed.pathname + landed.search).toBe('/console/?sso-error=token-invalid');
      expect(browser.cookies(srv.url).has('fh_session')).toBe(false);
      const refusals = srv.logText().split('\n').filter((l) => l.includes('single sign-on refused')).map((l) => JSON.parse(l) as { detail: string });
      expect(refusals.at(-1)?.detail).toMatch(/"aud" \(audience\)/);
    } finally {
      idp.forgeAudience = undefined;
    }
    expect((await new SsoBrowser(srv.url).signIn('anna')).search).toBe(''); // the same flow with the real token works
  });

  it('refuses a replayed state: the same callback URL works once', async () => {
    const browser = new SsoBrowser(srv.url);
    const callback = await browser.toProvider('anna');
    const binding = browser.cookies(srv.url).get('fh_oidc');
    expect((await browser.callback(callback)).search).toBe('');
    const session = browser.cookies(srv.url).get('fh_session');

    browser.cookies(srv.url).set('fh_oidc', binding!); // even with the binding cookie put back
    const replay = await browser.callback(callback);
    expect(replay.pathname + replay.search).toBe('/console/?sso-error=state-invalid');
    expect(browser.cookies(srv.url).get('fh_session')).toBe(session); // no new session
  });

  it('says so when the person cancels at the provider', async () => {
    const browser = new SsoBrowser(srv.url);
    const callback = await browser.toProvider('anna', { cancel: true });
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    expect((await browser.callback(callback)).search).toBe('?sso-error=provider-refused');
    expect(browser.cookies(srv.url).has('fh_session')).toBe(false);
  });

  it('refuses a callback in another browser than the one that started the sign-in', async () => {
    const callback = await new SsoBrowser(srv.url).toProvider('anna');
    const other = new SsoBrowser(srv.url);
    expect((await other.callback(callback)).search).toBe('?sso-error=state-invalid');
    expect(other.cookies(srv.url).has('fh_session')).toBe(false);
  });
});

describe('LOCAL_ACCOUNTS=off', () => {
  let idp: TestProvider;
  let srv: TestServer;
  beforeAll(async () => {
    ({ idp, srv } = await startPair({ LOCAL_ACCOUNTS: 'off' }));
    idp.users.set('boss', { name: 'Bea Boss', preferred_username: 'max', groups: ['support-admins'] });
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  it('refuses password sign-in and setup, prints no setup link, and says so to the console', async () => {
    const login = await new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD);
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ error: { code: 'local_accounts_off', message: expect.stringContaining('switched off') } });
    expect(login.setsSession).toBe(false);
    const setup = await new HttpSession(srv.url).call('POST', '/api/setup', { body: { token: 'x', login: 'someone', password: 'a long password here', displayName: 'X' } });
    expect(setup.body).toMatchObject({ error: { code: 'local_accounts_off' } });
    expect(srv.setupUrl).toBeUndefined();
    expect(await new SsoBrowser(srv.url).api('/api/auth/oidc/options')).toMatchObject({ body: { sso: { providerName: 'Test IdP' }, localAccounts: false } });
  });

  it('signs in by single sign-on, as an admin from the claim, under a free login name', async () => {
    const browser = new SsoBrowser(srv.url);
    expect((await browser.signIn('boss')).search).toBe('');
    // "max" is the local technician's login: the SSO account gets another and never becomes that account
    expect(await browser.api('/api/auth/me')).toMatchObject({ body: { user: { login: 'max-2', displayName: 'Bea Boss', role: 'admin' } } });
  });

  // last in this file's server: it uses up this address's starts for a minute
  it('lets one address start SSO_STARTS_PER_MINUTE sign-ins a minute, then says to wait, and stores no more', async () => {
    const pendingRows = async () => (await srv.database.db.selectFrom('oidc_logins').select('state_hash').execute()).length;
    const before = await pendingRows();
    const landings: string[] = [];
    for (let i = 0; i < SSO_STARTS_PER_MINUTE + 5; i++) {
      const res = await new SsoBrowser(srv.url).get(`${srv.url}/api/auth/oidc/start`);
      landings.push(new URL(res.headers.get('location') ?? '', srv.url).origin === idp.issuer ? 'provider' : (res.headers.get('location') ?? ''));
    }
    // the one sign-in above already started once from this address
    expect(landings.filter((l) => l === 'provider')).toHaveLength(SSO_STARTS_PER_MINUTE - 1);
    expect(landings.slice(SSO_STARTS_PER_MINUTE - 1)).toEqual(Array(6).fill('/console/?sso-error=too-many'));
    expect((await pendingRows()) - before).toBe(SSO_STARTS_PER_MINUTE - 1);
  });
});
