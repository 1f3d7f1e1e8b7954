import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HttpSession } from '../server/http-session.js';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { openPage, SCREENSHOTS } from './support/browser.js';
import { customerGetsCredentials, technicianConnects, technicianSignsIn } from './support/flows.js';
import { browserSuite } from './support/suite.js';

const ADMIN = { login: 'chefin', password: 'the admin password 1' };

/**
 * Accounts and live sessions in a real Chromium against the real server (docs/accounts.md): an invite
 * link sets a password, disabling a technician ends their running session at once on both ends, the
 * last admin is protected, and an admin ends a session from #/live. Screenshots: accounts.png, live.png.
 */
describe('accounts and live sessions in the browser', () => {
  const suite = browserSuite(async (srv) => {
    await srv.accounts.createUser({ login: ADMIN.login, password: ADMIN.password, role: 'admin', displayName: 'Clara Chefin', company: 'Beispiel GmbH' });
  });

  const open = async (name: string, locale = 'en-US') => {
    const p = await openPage(suite.browser, name, { locale, viewport: { width: 1280, height: 900 } });
    p.page.on('dialog', (d) => void d.accept()); // "Disable …?"
    suite.pages.push(p);
    return p.page;
  };
  const adminPage = async (name: string) => {
    const page = await open(name);
    await technicianSignsIn(page, suite.srv.url, ADMIN.login, ADMIN.password);
    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('accounts-table').waitFor();
    return page;
  };
  /** A customer page and a technician console in one session. */
  const inSession = async (name: string) => {
    const customer = await open(`${name}-customer`);
    const creds = await customerGetsCredentials(customer, suite.srv.url);
    const tech = await open(`${name}-technician`);
    await technicianSignsIn(tech, suite.srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech, creds);
    await tech.getByTestId('end-session').waitFor({ state: 'visible', timeout: 15_000 });
    await customer.getByTestId('technician-name').waitFor({ state: 'visible', timeout: 15_000 });
    return { customer, tech, id: creds.id.replace(/\s/g, '') };
  };
  const row = (page: Page, login: string) => page.getByTestId(`account-${login}`);

  it('an admin invites; the invitee opens the link, sets a password and signs in', async () => {
    const admin = await adminPage('accounts-invite');
    await admin.getByTestId('invite-login').fill('erika');
    await admin.getByTestId('invite-name').fill('Erika Musterfrau');
    await admin.getByTestId('invite-submit').click();
    const link = await admin.getByTestId('account-link').inputValue();
    expect(link).toMatch(new RegExp(`^${suite.srv.url}/setup#link=[A-Za-z0-9_-]{43}$`));
    await expect.poll(() => row(admin, 'erika').getAttribute('data-state')).toBe('invited');

    const invitee = await open('accounts-invitee', 'de-DE');
    await invitee.goto(link);
    await invitee.getByText('Legen Sie das Kennwort für Ihr Konto fest').waitFor();
    await invitee.getByTestId('link-password').fill('erikas eigenes Kennwort');
    await invitee.getByTestId('link-repeat').fill('erikas eigenes Kennwort');
    await invitee.getByTestId('link-submit').click();
    await invitee.getByText('Das Kennwort für erika ist gesetzt').waitFor();
    // the link works once
    const again = await open('accounts-invitee-again');
    await again.goto(link);
    await again.getByTestId('link-password').fill('somebody elses password');
    await again.getByTestId('link-repeat').fill('somebody elses password');
    await again.getByTestId('link-submit').click();
    await again.getByText('This link is wrong, expired or was already used').waitFor();

    const signIn = await open('accounts-erika');
    await technicianSignsIn(signIn, suite.srv.url, 'erika', 'erikas eigenes Kennwort');
    await admin.reload();
    await expect.poll(() => row(admin, 'erika').getAttribute('data-state')).toBe('active');
  });

  it('disabling a technician in a session ends it at once on both ends with the reason; their next call is refused; enabled, they sign in again', async () => {
    const { customer, tech } = await inSession('disable');
    const admin = await adminPage('accounts-disable');
    await row(admin, TECH_LOGIN).getByTestId('account-disable').click();
    await admin.getByTestId('accounts-notice').getByText(`${TECH_LOGIN} is disabled and signed out.`).waitFor();
    await expect.poll(() => row(admin, TECH_LOGIN).getAttribute('data-state')).toBe('disabled');

    const ended = tech.getByTestId('session-ended');
    await ended.waitFor({ timeout: 5_000 });
    expect(await ended.getAttribute('data-reason')).toBe('account-disabled');
    expect(await ended.innerText()).toContain('An administrator disabled your account');
    await customer.getByText("The session was ended: the technician's account was disabled.").waitFor({ timeout: 5_000 });
    const status = await tech.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(status).toBe(401);

    await row(admin, TECH_LOGIN).getByTestId('account-enable').click();
    await expect.poll(() => row(admin, TECH_LOGIN).getAttribute('data-state')).toBe('active');
    const back = await open('accounts-enabled');
    await technicianSignsIn(back, suite.srv.url, TECH_LOGIN, TECH_PASSWORD);

    // a technician changes their own password: the current one is required (then back, for the next test)
    const own = back.getByTestId('own-password');
    const change = async (from: string, to: string) => {
      await own.locator('input[name=old]').fill(from);
      await own.locator('input[name=new]').fill(to);
      await own.getByRole('button').click();
    };
    await change('not the password', 'max new password 1');
    await own.getByText('The current password is wrong.').waitFor();
    await change(TECH_PASSWORD, 'max new password 1');
    await own.getByText('Your password is changed.').waitFor();
    await change('max new password 1', TECH_PASSWORD);
    await expect.poll(async () => (await new HttpSession(suite.srv.url).login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
  });

  it('the last active admin can be neither disabled nor demoted: the page says why', async () => {
    const admin = await adminPage('accounts-last-admin');
    // no disable button for the own account; demoting is refused by the server with the reason
    expect(await row(admin, ADMIN.login).getByTestId('account-disable').count()).toBe(0);
    await row(admin, ADMIN.login).getByTestId('account-role').click();
    await admin.getByTestId('accounts-notice').getByText('This is the last active administrator').waitFor();
    expect(await row(admin, ADMIN.login).innerText()).toContain('Administrator');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'accounts.png'), fullPage: true });
  });

  it('#/live lists a running session; ending it there ends it on both ends', async () => {
    const { customer, tech, id } = await inSession('live');
    const admin = await adminPage('live-admin');
    await admin.getByTestId('nav-live').click();
    const line = admin.getByTestId(`live-${id}`);
    await line.waitFor();
    expect(await line.innerText()).toContain('Max Mustermann');
    expect(await line.innerText()).toContain('local');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'live.png'), fullPage: true });
    await line.getByTestId('live-end').click();
    await admin.getByTestId('live-notice').getByText(`The session with ${id} was ended`).waitFor();

    const ended = tech.getByTestId('session-ended');
    await ended.waitFor({ timeout: 5_000 });
    expect(await ended.getAttribute('data-reason')).toBe('ended-by-admin');
    expect(await ended.innerText()).toContain('An administrator ended the session.');
    await customer.getByText('An administrator of the support service ended the session.').waitFor({ timeout: 5_000 });
    await admin.getByTestId('live-none').waitFor();
    const audit = await suite.srv.database.db.withTables<{ audit_log: { event: string; actor: string } }>().selectFrom('audit_log').select(['event', 'actor']).where('event', '=', 'live-session-ended').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^admin:/);
  });
});
