import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '@fernhilfe/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, SCREENSHOTS, type WatchedPage } from './support/browser.js';

/**
 * Single sign-on in a real Chromium against a real OpenID provider (oidc-provider on 127.0.0.1 with
 * its development login form): the console's "Sign in with Test IdP" button, the provider's page,
 * and back in the console as the right person with the right role; the refusals in plain words;
 * LOCAL_ACCOUNTS=off hides the password form. Writes docs/screenshots/console-sso-signin.png.
 */
async function startPair(env: Record<string, string> = {}): Promise<{ idp: TestProvider; srv: TestServer }> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const idp = await startTestProvider(publicUrl);
  idp.users.set('anna', { name: 'Anna Admin', preferred_username: 'anna', groups: ['support-admins'] });
  idp.users.set('tom', { name: 'Tom Technician', preferred_username: 'tom', groups: ['support-staff'] });
  idp.users.set('olaf', { name: 'Olaf Outsider', preferred_username: 'olaf', groups: ['sales'] });
  const srv = await startTestServer({ PORT: String(port), PUBLIC_URL: publicUrl, ...idp.env(), ...env });
  return { idp, srv };
}

/** Clicks the console's SSO button and signs in on the provider's own page. */
async function signInWithProvider(page: Page, account: string): Promise<void> {
  await page.getByTestId('sso-signin').click();
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
}

/** One provider, one server (with `env`) and one headless Chromium per describe; no CSP violation on any page. */
function ssoSuite(env: Record<string, string> = {}) {
  let pair: { idp: TestProvider; srv: TestServer } | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];
  beforeAll(async () => {
    assertAppsBuilt();
    pair = await startPair(env);
    browser = await launchTechnicianBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await pair?.srv.close();
    await pair?.idp.close();
  });
  afterEach(() => {
    expect(cspViolations(...pages), 'Content-Security-Policy violations').toEqual([]);
  });
  return {
    get idp() {
      return pair!.idp;
    },
    get srv() {
      return pair!.srv;
    },
    open: async (name: string, locale = 'en-US') => {
      const p = await openPage(browser!, name, { locale, viewport: { width: 1024, height: 720 } });
      pages.push(p);
      return p.page;
    },
  };
}

describe('single sign-on in the console', () => {
  const suite = ssoSuite();
  const open = suite.open;

  it('shows "Sign in with Test IdP" beside the password form, in English and German', async () => {
    const page = await open('sso-form');
    await page.goto(`${suite.srv.url}/console/`);
    await expect.poll(() => page.getByTestId('sso-signin').innerText()).toBe('Sign in with Test IdP');
    await page.getByTestId('login-user').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-sso-signin.png') });
    const german = await open('sso-form-de', 'de-DE');
    await german.goto(`${suite.srv.url}/console/`);
    await expect.poll(() => german.getByTestId('sso-signin').innerText()).toBe('Anmelden mit Test IdP');
  });

  it('an admin signs in at the provider and is back in the console with the admin pages', async () => {
    const page = await open('sso-admin');
    await page.goto(`${suite.srv.url}/console/`);
    await signInWithProvider(page, 'anna');
    await page.getByText('Signed in as Anna Admin').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('terms-form').waitFor();
  });

  it('a technician signs in and does not see the admin pages; the role follows the provider at the next sign-in', async () => {
    const page = await open('sso-tech');
    await page.goto(`${suite.srv.url}/console/`);
    await signInWithProvider(page, 'tom');
    await page.getByText('Signed in as Tom Technician').waitFor();
    await page.getByTestId('nav-reports').waitFor();
    expect(await page.getByTestId('nav-settings').count()).toBe(0);
    const row = await suite.srv.database.db.selectFrom('users').select(['role', 'oidc_subject']).where('oidc_subject', '=', 'tom').executeTakeFirst();
    expect(row).toEqual({ role: 'technician', oidc_subject: 'tom' });

    suite.idp.users.set('tom', { ...suite.idp.users.get('tom'), groups: ['support-admins'] });
    const again = await open('sso-tech-promoted');
    await again.goto(`${suite.srv.url}/console/`);
    await signInWithProvider(again, 'tom');
    await again.getByText('Signed in as Tom Technician').waitFor();
    await again.getByTestId('nav-settings').waitFor();
  });

  it('says in plain words why a person without a role, or a disabled account, is not let in', async () => {
    const page = await open('sso-no-role');
    await page.goto(`${suite.srv.url}/console/`);
    await signInWithProvider(page, 'olaf');
    await expect.poll(() => page.getByTestId('sso-error').innerText()).toContain('is not allowed to use this console');
    await expect.poll(() => page.url()).toBe(`${suite.srv.url}/console/`); // the reason is read and taken out of the address

    await suite.srv.database.db.updateTable('users').set({ disabled_at: Date.now() }).where('oidc_subject', '=', 'anna').execute();
    const disabled = await open('sso-disabled', 'de-DE');
    await disabled.goto(`${suite.srv.url}/console/`);
    await signInWithProvider(disabled, 'anna');
    await expect.poll(() => disabled.getByTestId('sso-error').innerText()).toBe('Ihr Konto ist gesperrt. Bitte wenden Sie sich an Ihre Administration.');
    expect(await disabled.getByTestId('logout').count()).toBe(0);
  });
});

describe('LOCAL_ACCOUNTS=off in the console', () => {
  const suite = ssoSuite({ LOCAL_ACCOUNTS: 'off' });

  it('shows only the single sign-on button, and it signs in', async () => {
    const page = await suite.open('sso-only');
    await page.goto(`${suite.srv.url}/console/`);
    await page.getByTestId('sso-signin').waitFor();
    expect(await page.getByTestId('login-user').count()).toBe(0);
    expect(await page.getByTestId('login-password').count()).toBe(0);
    await signInWithProvider(page, 'anna');
    await page.getByText('Signed in as Anna Admin').waitFor();
  });
});
