import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { EVIL_SVG } from '../audit/fixtures.js';
import { seedReports, ADMIN } from '../reports/fixture.js';
import { HttpSession } from '../server/http-session.js';
import { holdStill } from '../support/quiet.js';
import { openPage, SCREENSHOTS } from './support/browser.js';
import { technicianSignsIn } from './support/flows.js';
import { browserSuite } from './support/suite.js';

/**
 * The admin settings and the report page in a real Chromium: terms changed by an admin reach the
 * customer page (docs/screenshots/terms-changed.png), branding text and an SVG logo carrying
 * script stay inert, and the report page lists the sessions (docs/screenshots/admin-settings.png,
 * reports.png).
 */
describe('admin settings and reports in the browser', () => {
  let admin: HttpSession;
  const suite = browserSuite(async (srv) => {
    await seedReports(srv);
    admin = new HttpSession(srv.url);
    await admin.login(ADMIN.login, ADMIN.password);
  });
  const { pages } = suite;
  const dialogs: string[] = [];

  const open = async (name: string, locale = 'en-US', viewport = { width: 1280, height: 900 }) => {
    const p = await openPage(suite.browser, name, { locale, viewport });
    p.page.on('dialog', (d) => {
      dialogs.push(`${name}: ${d.message()}`);
      void d.dismiss();
    });
    pages.push(p);
    return p;
  };

  afterEach(() => {
    expect(dialogs, 'no script may open a dialog').toEqual([]);
  });

  it('an admin changes the terms: a new version, and the customer page shows the new text', async () => {
    const before = suite.srv.terms().version;
    const { page } = await open('admin-terms');
    await technicianSignsIn(page, suite.srv.url, ADMIN.login, ADMIN.password);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('terms-form').waitFor();
    expect(await page.getByTestId('terms-version').innerText()).toBe(before);
    const english = '# Terms of ACME Remote Help\n\n1. We only help when you ask us to.\n2. Version two: you can end the session at any time.';
    await page.getByTestId('terms-en').fill(english);
    await page.getByTestId('terms-save').click();
    await page.getByTestId('terms-status').getByText(/Saved as version/).waitFor();
    const after = suite.srv.terms().version;
    expect(after).not.toBe(before);
    await page.getByTestId('terms-version').getByText(after).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-settings.png'), fullPage: true });

    const customer = await open('customer-terms', 'en-US', { width: 1024, height: 768 });
    await customer.page.goto(`${suite.srv.url}/`);
    const terms = customer.page.getByTestId('terms-text');
    await terms.getByText('Terms of ACME Remote Help').waitFor();
    expect(await terms.innerText()).toContain('Version two: you can end the session at any time.');
    await customer.page.screenshot({ path: path.join(SCREENSHOTS, 'terms-changed.png'), fullPage: true });
    // accepting registers with the new version
    await customer.page.getByTestId('accept-terms').click();
    await customer.page.getByTestId('customer-password').waitFor();
    const rows = await suite.srv.database.db.selectFrom('support_sessions').select('terms_version').orderBy('created_at', 'desc').limit(1).execute();
    expect(rows).toEqual([{ terms_version: after }]);
  });

  it('branding fields with HTML or script and an SVG logo with script are inert everywhere', async () => {
    const evilName = `<img src=x onerror="alert('name')"><script>alert('script')</script>`;
    const put = await admin.call('PUT', '/api/admin/branding', {
      body: { companyName: evilName, supportPhone: '+49 30 1234', primaryColor: '#7a1f5c', accentColor: '#f0a500', website: '' },
    });
    expect(put.status).toBe(200);
    const logo = await admin.call('PUT', '/api/admin/branding/logo', { body: { type: 'image/svg+xml', data: Buffer.from(EVIL_SVG).toString('base64') } });
    expect(logo.status).toBe(200);

    const consolePage = await open('admin-inert');
    await technicianSignsIn(consolePage.page, suite.srv.url, ADMIN.login, ADMIN.password);
    await consolePage.page.goto(`${suite.srv.url}/console/#/settings`);
    await consolePage.page.getByTestId('logo-preview').waitFor();
    await expectLogoDrawn(consolePage.page, 'logo-preview');
    await expectLogoDrawn(consolePage.page, 'header-logo');
    expect(await consolePage.page.locator('.header-company').innerText()).toBe(evilName);
    expect(await consolePage.page.getByTestId('branding-companyName').inputValue()).toBe(evilName);
    expect(await consolePage.page.locator('img[src="x"], body script:not([src])').count()).toBe(0);

    const customer = await open('customer-inert');
    await customer.page.goto(`${suite.srv.url}/`);
    await customer.page.getByTestId('accept-terms').waitFor();
    expect(await customer.page.locator('body').innerText()).toContain(evilName);
    expect(await customer.page.locator('img[src="x"]').count()).toBe(0);

    // even opened on its own, the logo runs nothing (sanitised, and served with a sandboxing CSP)
    const direct = await open('logo-direct');
    const res = await direct.page.goto(`${suite.srv.url}/branding/logo`);
    expect(res?.headers()['content-type']).toBe('image/svg+xml');
    expect(await direct.page.evaluate(() => document.getElementsByTagName('script').length)).toBe(0);
    await holdStill(300, 'a script in the logo would have run by now, and its CSP violation fails the test');
  });

  it('the report page lists the sessions of a period with totals and a CSV link, and a detail page', async () => {
    const branding = { companyName: 'ACME Fernwartung GmbH', supportPhone: '+49 30 1234', primaryColor: '#0b5cad', accentColor: '#f0a500', website: '' };
    expect((await admin.call('PUT', '/api/admin/branding', { body: branding })).status).toBe(200);
    const { page } = await open('reports');
    await technicianSignsIn(page, suite.srv.url, ADMIN.login, ADMIN.password);
    await page.goto(`${suite.srv.url}/console/#/reports`);
    await page.getByTestId('report-from').fill('2026-02-01');
    await page.getByTestId('report-to').fill('2026-03-31');
    await page.getByTestId('report-show').click();
    await page.getByTestId('report-total').getByText(/^5 sessions/).waitFor();
    expect(await page.locator('[data-testid="report-table"] tbody tr').count()).toBe(5);
    const csvHref = await page.getByTestId('report-csv').getAttribute('href');
    expect(csvHref).toMatch(/^\/api\/reports\/sessions\.csv\?from=2026-0[12]-\d\dT\d\d%3A00%3A00\.000Z&to=2026-0[34]-/);
    const csv = await page.evaluate(async (href) => (await fetch(href!)).text(), csvHref);
    expect(csv.split('\r\n')[0]).toMatch(/^session_id,customer_id,technician_login/);
    expect(csv.trim().split('\r\n')).toHaveLength(6);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports.png'), fullPage: true });

    await page.locator('[data-testid="report-table"] tbody tr', { hasText: 'Max Mustermann' }).first().getByRole('link').click();
    await page.getByTestId('report-events').waitFor();
    expect(await page.getByTestId('report-detail').innerText()).toMatch(/file-completed|control-granted|Max Mustermann/);
  });
});

/** The <img> loaded and has a size: the browser drew the logo (as an image, where scripts never run). */
async function expectLogoDrawn(page: Page, testId: string): Promise<void> {
  const img = page.getByTestId(testId);
  await img.waitFor();
  await page.waitForFunction((id) => {
    const el = document.querySelector<HTMLImageElement>(`[data-testid="${id}"]`);
    return Boolean(el?.complete && el.naturalWidth > 0);
  }, testId);
  expect(await img.evaluate((el) => el.tagName)).toBe('IMG');
}
