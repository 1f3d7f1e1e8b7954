import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/postgres.js';
import { buildOnce, runCli } from '../support/processes.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { HttpSession } from '../server/http-session.js';

const backends = testBackends();
beforeAll(() => buildOnce(), 180_000);
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('`fernhilfe user …` on $name', (backend) => {
  it('list, add, role, disable (ends a running session on the server), enable, reset-2fa, reset-password; the last admin is protected; the CLI is the audit actor', async () => {
    const { databaseUrl, dataDir } = await backend.freshDatabase();
    const dbEnv: Record<string, string> = { DATA_DIR: dataDir, PASSWORD_COST: '12', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    const cli = (args: string[], extra: { env?: Record<string, string>; input?: string } = {}) => runCli(['user', ...args], { env: { ...dbEnv, ...extra.env }, ...(extra.input ? { input: extra.input } : {}) });

    // a server on the same database, with the technician `max` in a running session
    await using srv = await startTestServer(dbEnv);
    const added = await cli(['add', 'boss', '--role', 'admin', '--name', 'Boss'], { input: 'the boss password 1\n' });
    expect(added.stdout).toContain('user boss (admin) created');
    expect(added.code).toBe(0);

    const list = await cli(['list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines[0]).toEqual(['login', 'role', '2fa', 'last sign-in', 'state', 'name']);
    expect(lines.slice(1)).toEqual([
      ['boss', 'admin', 'off', 'never', 'active', 'Boss'],
      [TECH_LOGIN, 'technician', 'off', 'never', 'active', 'Max Mustermann'],
    ]);

    // the last admin: refused with the reason, exit code 1
    for (const args of [['disable', 'boss'], ['role', 'boss', 'technician']]) {
      const refused = await cli(args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toContain('last active administrator');
    }
    expect((await cli(['role', 'nobody', 'admin'])).stderr).toContain('There is no such account');
    expect((await cli(['role', 'boss', 'owner'])).code).not.toBe(0); // not a role

    const customer = await srv.customer();
    const tech = await srv.technician();
    const session = await tech.connect(customer.id, customer.password!);
    const ended = session.once('ended');
    const disabled = await cli(['disable', TECH_LOGIN]);
    expect(disabled.stdout).toContain(`user ${TECH_LOGIN} disabled`);
    // the server notices within its check interval (2 s): the session ends with the reason on the technician's end
    expect(await ended).toMatchObject({ reason: 'account-disabled' });
    await expect.poll(() => customer.ended?.reason).toBe('account-disabled');
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(401);
    expect((await cli(['list'])).stdout).toMatch(new RegExp(`${TECH_LOGIN}\\ttechnician\\toff\\t\\S+\\tdisabled`));

    expect((await cli(['enable', TECH_LOGIN])).stdout).toContain(`user ${TECH_LOGIN} enabled`);
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    expect((await cli(['role', TECH_LOGIN, 'admin'])).stdout).toContain(`user ${TECH_LOGIN} is now admin`);
    expect((await cli(['reset-2fa', TECH_LOGIN])).code).toBe(0);

    const bare = await cli(['reset-password', TECH_LOGIN]);
    expect(bare.stdout).toMatch(/^\/setup#link=[A-Za-z0-9_-]{43}\s/m);
    const full = await cli(['reset-password', TECH_LOGIN], { env: { PUBLIC_URL: srv.url } });
    const link = /(http:\/\/\S+\/setup#link=(\S+))/.exec(full.stdout);
    expect(link).not.toBeNull();
    // the older link died with the new one; the new one sets the password
    const oldToken = /#link=(\S+)/.exec(bare.stdout)![1]!;
    expect((await new HttpSession(srv.url).call('POST', '/api/setup/password', { body: { token: oldToken, password: 'a password from the link' } })).status).toBe(403);
    expect((await new HttpSession(srv.url).call('POST', '/api/setup/password', { body: { token: link![2], password: 'a password from the link' } })).status).toBe(200);
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, 'a password from the link')).status).toBe(200);

    const audit = await srv.database.db.withTables<{ audit_log: { seq: number; event: string; actor: string } }>().selectFrom('audit_log').select(['event', 'actor']).where('event', 'like', 'account-%').orderBy('seq').execute();
    expect(audit.filter((e) => e.actor === 'cli').map((e) => e.event)).toEqual(['account-disabled', 'account-enabled', 'account-role-changed', 'account-2fa-reset', 'account-password-reset', 'account-password-reset']);
  }, 120_000);
});
