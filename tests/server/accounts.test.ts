import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TechnicianEndpoint, type ConnectError } from '@fernhilfe/client';
import { ApiClient, type Account, type AccountLink } from '@fernhilfe/protocol';
import { testBackends } from '../support/postgres.js';
import { nodeTransport, startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';

const ADMIN_PASSWORD = 'admin password that is long';
const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('accounts API on $name', (backend) => {
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

  const accounts = async () => ((await admin.call('GET', '/api/admin/accounts')).body as { accounts: Account[] }).accounts;
  const idOf = async (login: string) => (await accounts()).find((a) => a.login === login)!.id;
  const auditEvents = async () => (await srv.database.db.withTables<{ audit_log: { seq: number; event: string; actor: string; data: string } }>().selectFrom('audit_log').select(['event', 'actor', 'data']).orderBy('seq').execute());

  it('lists accounts with role, 2FA, last sign-in and state; an invite gives a one-time link that sets the password and signs in', async () => {
    const list = await accounts();
    expect(list.map((a) => [a.login, a.role, a.totpEnabled, a.disabledAt, a.pending])).toEqual([
      ['boss', 'admin', false, null, false],
      [TECH_LOGIN, 'technician', false, null, false],
    ]);
    expect(list[0]!.lastSignInAt).toBeGreaterThan(0);
    expect(list[1]!.lastSignInAt).toBeNull();

    const invite = await admin.call('POST', '/api/admin/accounts', { body: { login: 'Erika', displayName: 'Erika Musterfrau', role: 'technician' } });
    expect(invite.status).toBe(200);
    const link = invite.body as AccountLink;
    expect(link.account).toMatchObject({ login: 'erika', pending: true, role: 'technician' });
    expect(link.path).toMatch(/^\/setup#link=[A-Za-z0-9_-]{43}$/);
    expect(link.url).toBeUndefined(); // no PUBLIC_URL
    const token = link.path.split('#link=')[1]!;
    expect((await new HttpSession(srv.url).login('erika', 'anything at all')).status).toBe(401); // no password yet

    const invitee = new HttpSession(srv.url);
    expect((await invitee.call('POST', '/api/setup/password', { body: { token, password: 'short' } })).body).toMatchObject({ error: { code: 'password_policy' } });
    const set = await invitee.call('POST', '/api/setup/password', { body: { token, password: 'erikas own long password' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ user: { login: 'erika', role: 'technician' } });
    expect((await invitee.call('GET', '/api/auth/me')).status).toBe(200); // signed in by the link
    // the link works once
    const again = await new HttpSession(srv.url).call('POST', '/api/setup/password', { body: { token, password: 'another long password' } });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: { code: 'link_invalid' } });
    expect((await new HttpSession(srv.url).login('erika', 'erikas own long password')).status).toBe(200);
    expect((await accounts()).find((a) => a.login === 'erika')).toMatchObject({ pending: false, lastSignInAt: expect.any(Number) });

    const events = await auditEvents();
    const bossId = await idOf('boss');
    expect(events.filter((e) => e.event.startsWith('account-')).map((e) => [e.event, e.actor])).toEqual([
      ['account-invited', `admin:${bossId}`],
      ['account-password-set', `technician:${await idOf('erika')}`],
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('disabling signs the account out at once: its web session, a fresh WebSocket ticket and its live session; enabling lets it in again', async () => {
    const api = new ApiClient(srv.url);
    await api.login(TECH_LOGIN, TECH_PASSWORD);
    const customer = await srv.customer();
    const tech = await srv.technician({ api });
    const custSession = customer.once('session');
    const techSession = await tech.connect(customer.id, customer.password!);
    const customerSide = await custSession;
    const techEnded = techSession.once('ended');
    const customerEnded = customerSide.once('ended');
    const ticketUrl = await api.technicianUrl(); // issued before the disable

    const disabled = await admin.call('POST', `/api/admin/accounts/${await idOf(TECH_LOGIN)}/disable`, { body: {} });
    expect(disabled.status).toBe(200);
    expect((disabled.body as { account: Account }).account.disabledAt).toEqual(expect.any(Number));
    expect(await techEnded).toMatchObject({ reason: 'account-disabled', by: 'server' });
    expect(await customerEnded).toMatchObject({ reason: 'account-disabled', by: 'server' });
    await expect(api.me()).rejects.toMatchObject({ status: 401 });
    // the ticket issued before is refused too
    await expect(TechnicianEndpoint.open({ url: ticketUrl, transport: nodeTransport })).rejects.toBeDefined();
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(401);
    // the pair is dead afterwards
    const other = await srv.technician({ api: await adminApi() });
    const err = await other.connect(customer.id, 'abcdefg').catch((e: unknown) => e);
    expect((err as ConnectError).reason).toBe('customer-left');
    other.close();

    expect((await admin.call('POST', `/api/admin/accounts/${await idOf(TECH_LOGIN)}/enable`, { body: {} })).status).toBe(200);
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const kinds = (await auditEvents()).map((e) => e.event);
    expect(kinds).toEqual(expect.arrayContaining(['account-disabled', 'account-enabled']));
    expect((await auditEvents()).find((e) => e.event === 'session-ended')!.data).toContain('account-disabled');
  });

  const adminApi = async () => {
    const a = new ApiClient(srv.url);
    await a.login('boss', ADMIN_PASSWORD);
    return a;
  };

  it('the last active admin can be neither disabled nor demoted; with a second admin it can', async () => {
    const bossId = await idOf('boss');
    const demote = await admin.call('POST', `/api/admin/accounts/${bossId}/role`, { body: { role: 'technician' } });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({ error: { code: 'last_admin', message: expect.stringContaining('last active administrator') } });
    // an invited admin who has no password yet does not count
    await admin.call('POST', '/api/admin/accounts', { body: { login: 'anna', displayName: 'Anna', role: 'admin' } });
    expect((await admin.call('POST', `/api/admin/accounts/${bossId}/role`, { body: { role: 'technician' } })).status).toBe(409);
    // a CLI-side disable of the last admin is refused the same way (the check is in the service)
    await expect(srv.accountAdmin.disable(bossId, 'cli')).rejects.toMatchObject({ reason: 'last_admin' });
    // own account: refused with its own reason
    expect((await admin.call('POST', `/api/admin/accounts/${bossId}/disable`, { body: {} })).body).toMatchObject({ error: { code: 'self_change' } });

    expect((await admin.call('POST', `/api/admin/accounts/${await idOf(TECH_LOGIN)}/role`, { body: { role: 'admin' } })).status).toBe(200);
    const ok = await admin.call('POST', `/api/admin/accounts/${bossId}/role`, { body: { role: 'technician' } });
    expect(ok.status).toBe(200);
    expect((ok.body as { account: Account }).account.role).toBe('technician');
    expect((await admin.call('GET', '/api/admin/accounts')).status).toBe(403); // no longer an admin
    const maxId = (await srv.accountAdmin.byLogin(TECH_LOGIN)).id;
    await expect(srv.accountAdmin.disable(maxId, 'cli')).rejects.toMatchObject({ reason: 'last_admin' });
  });

  it('reset password gives a link and keeps the old password until it is used; reset 2FA switches it off; own password needs the old one', async () => {
    const maxId = await idOf(TECH_LOGIN);
    await srv.database.db.updateTable('users').set({ totp_enabled_at: Date.now(), totp_secret: 'x' }).where('id', '=', maxId).execute();
    const reset2fa = await admin.call('POST', `/api/admin/accounts/${maxId}/reset-2fa`, { body: {} });
    expect((reset2fa.body as { account: Account }).account.totpEnabled).toBe(false);

    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const wrong = await tech.call('POST', '/api/account/password', { body: { oldPassword: 'not the password', newPassword: 'a brand new password' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'wrong_password' } });
    expect((await tech.call('POST', '/api/account/password', { body: { oldPassword: TECH_PASSWORD, newPassword: 'a brand new password' } })).status).toBe(204);
    expect((await tech.call('GET', '/api/auth/me')).status).toBe(200); // this session stays
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, 'a brand new password')).status).toBe(200);

    const link = (await admin.call('POST', `/api/admin/accounts/${maxId}/reset-password`, { body: {} })).body as AccountLink;
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, 'a brand new password')).status).toBe(200);
    const token = link.path.split('#link=')[1]!;
    expect((await new HttpSession(srv.url).call('POST', '/api/setup/password', { body: { token, password: 'the reset password' } })).status).toBe(200);
    expect((await tech.call('GET', '/api/auth/me')).status).toBe(401); // older sessions end with a new password
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, 'a brand new password')).status).toBe(401);
    const events = (await auditEvents()).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['account-2fa-reset', 'password-changed', 'account-password-reset', 'account-password-set']));
  });
});
