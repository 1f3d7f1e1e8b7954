import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caseFromFragment, newCaseCredentials, formatCaseCode } from '@fernhilfe/protocol';
import { findNeedles, textForms } from '../support/hostile-proxy.js';
import { databaseBytes } from '../support/sqlite-bytes.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, SCREENSHOTS, textOf, type WatchedPage } from './support/browser.js';
import { technicianSignsIn } from './support/flows.js';

const DESCRIPTION = 'Mein Drucker druckt seit gestern nur noch leere Seiten.';

/**
 * Support cases end to end (docs/cases.md): a technician creates a case in the console's queue, the
 * customer opens the link in another browser context, accepts the terms, describes the problem and
 * waits; the queue rings and shows the description opened in the technician's browser; one click
 * takes the case into an ordinary session, after which the case is dead.
 */
describe('support cases between two browsers', () => {
  let srv: TestServer;
  let browser: Browser;
  let tech: WatchedPage;
  const customers: WatchedPage[] = [];

  beforeAll(async () => {
    assertAppsBuilt();
    // a long back-off: a wrong code must visibly lock its case, as a wrong password locks an ID
    srv = await startTestServer({ BACKOFF_BASE_MS: '120000' });
    browser = await launchTechnicianBrowser();
    tech = await openPage(browser, 'technician', { viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
    await tech.context.grantPermissions(['notifications'], { origin: srv.url });
    // records each notification the page creates (the real constructor still runs)
    await tech.context.addInitScript(() => {
      const Real = window.Notification;
      const seen: { title: string; body: string | undefined }[] = [];
      (window as unknown as { shownNotifications: typeof seen }).shownNotifications = seen;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          seen.push({ title, body: options?.body });
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
      Object.defineProperty(Recorded, 'requestPermission', { value: Real.requestPermission.bind(Real) });
      window.Notification = Recorded as typeof Notification;
    });
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  afterEach(() => {
    expect(cspViolations(tech, ...customers), 'Content-Security-Policy violations').toEqual([]);
  });

  async function customerPage(): Promise<Page> {
    const c = await openPage(browser, `customer${customers.length + 1}`, { viewport: { width: 900, height: 900 }, locale: 'de-DE' });
    customers.push(c);
    return c.page;
  }

  async function newCase(name: string): Promise<{ link: string; code: string }> {
    await tech.page.getByTestId('case-customer-name').fill(name);
    await tech.page.getByTestId('case-note').fill('ruft wegen des Druckers an');
    await tech.page.getByTestId('case-create').click();
    await expect.poll(() => textOf(tech.page, 'case-created'), { timeout: 15_000 }).toContain('created');
    const link = await tech.page.getByTestId('case-link').inputValue();
    return { link, code: await textOf(tech.page, 'case-code') };
  }

  /** The customer accepts the terms and sends a description: waiting, or the case is refused. */
  async function customerJoins(page: Page, description: string): Promise<'waiting' | 'refused'> {
    await page.getByTestId('accept-terms').click();
    await page.getByTestId('case-description').fill(description);
    await page.getByTestId('send-description').click();
    const waiting = page.getByTestId('case-waiting-for');
    const refused = page.getByTestId('case-refused');
    await waiting.or(refused).first().waitFor({ state: 'visible', timeout: 30_000 });
    return (await refused.isVisible()) ? 'refused' : 'waiting';
  }

  it('creates a case, the customer joins from the link, the queue rings and decrypts, Take case opens the session, the case is dead afterwards', async () => {
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await tech.page.goto(`${srv.url}/console/#/queue`);
    await tech.page.getByTestId('queue-page').waitFor();
    const { link, code } = await newCase('Erika Musterfrau');
    // the secret is only in the fragment, and the code carries the same case
    const url = new URL(link);
    expect(url.pathname).toBe('/');
    expect(caseFromFragment(url.hash)).toBeDefined();
    expect(code.replace(/-/g, '')).toBe(url.hash.replace('#case=', '').replace('.', ''));

    const customer = await customerPage();
    await customer.goto(link);
    await expect.poll(() => textOf(customer, 'case-id'), { timeout: 15_000 }).toContain(caseFromFragment(url.hash)!.caseId);
    expect(await customerJoins(customer, DESCRIPTION)).toBe('waiting');
    expect(await textOf(customer, 'case-waiting-for')).toBe('Sie warten auf Max Mustermann.');
    await expect.poll(() => textOf(customer, 'case-waited')).toMatch(/^Sie warten seit 0:0[1-9]/);
    expect(await textOf(customer, 'case-code')).toBe(code);
    expect(await textOf(customer, 'status')).toBe('Ihr Techniker übernimmt Ihren Fall gleich. Bitte lassen Sie diese Seite geöffnet.');

    // the queue hears the arrival: banner, tone attempt, notification; the description opened here
    await expect.poll(() => textOf(tech.page, 'arrival-banner'), { timeout: 15_000 }).toBe('New customer: Erika Musterfrau is waiting.');
    expect(await tech.page.getByTestId('arrival-banner').getAttribute('data-sound')).toMatch(/^(played|blocked)$/);
    await expect.poll(() => tech.page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications)).toEqual([{ title: 'New customer waiting', body: 'New customer: Erika Musterfrau is waiting.' }]);
    const card = tech.page.getByTestId('queue-waiting').locator('li').filter({ hasText: 'Erika Musterfrau' });
    await expect.poll(() => card.getByTestId('case-description').textContent(), { timeout: 20_000 }).toContain(DESCRIPTION);
    await expect.poll(() => card.getByTestId('case-wait').textContent()).toMatch(/waiting for 0:\d\d/);
    await tech.page.screenshot({ path: path.join(SCREENSHOTS, 'console-queue.png'), fullPage: true });
    await customer.screenshot({ path: path.join(SCREENSHOTS, 'customer-case-waiting-de.png') });

    // a console without the secret (another browser) asks for the code the customer's page shows
    const other = await openPage(browser, 'technician2', { viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    try {
      await technicianSignsIn(other.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
      await other.page.goto(`${srv.url}/console/#/queue`);
      const otherCard = other.page.getByTestId('queue-waiting').locator('li').filter({ hasText: 'Erika Musterfrau' });
      await expect.poll(() => otherCard.getByTestId('case-ask-code').textContent(), { timeout: 15_000 }).toContain('Fragen Sie den Kunden nach dem Code');
      await otherCard.getByTestId('case-code-input').fill(code.toLowerCase().replace(/-/g, ' '));
      await otherCard.getByTestId('case-unlock').click();
      await expect.poll(() => otherCard.getByTestId('case-description').textContent(), { timeout: 20_000 }).toContain(DESCRIPTION);
    } finally {
      await other.context.close();
    }

    // Take case: the ordinary session, with chat both ways
    await card.getByTestId('case-take').click();
    await tech.page.getByTestId('end-session').waitFor({ state: 'visible', timeout: 20_000 });
    await customer.getByTestId('technician-name').waitFor({ state: 'visible', timeout: 10_000 });
    await tech.page.getByTestId('chat-input').fill('Guten Tag, ich sehe Ihren Fall.');
    await tech.page.getByTestId('chat-send').click();
    await expect.poll(() => textOf(customer, 'chat-log'), { timeout: 10_000 }).toContain('Guten Tag, ich sehe Ihren Fall.');
    await customer.getByTestId('chat-input').fill('Danke!');
    await customer.getByTestId('chat-send').click();
    await expect.poll(() => textOf(tech.page, 'chat-log'), { timeout: 10_000 }).toContain('Danke!');
    await tech.page.getByTestId('end-session').click();
    await customer.getByTestId('chat-input').waitFor({ state: 'detached', timeout: 10_000 });

    // the case is done; its link is dead like a used password
    await tech.page.goto(`${srv.url}/console/#/queue`);
    await expect.poll(() => textOf(tech.page, 'queue-done'), { timeout: 15_000 }).toContain('Erika Musterfrau');
    const again = await customerPage();
    await again.goto(link);
    expect(await customerJoins(again, 'noch einmal')).toBe('refused');
    expect(await textOf(again, 'case-refused')).toContain('Dieser Code ist nicht gültig');

    // close with a note
    const done = tech.page.getByTestId('queue-done').locator('li').filter({ hasText: 'Erika Musterfrau' });
    await done.getByTestId('case-close-note').fill('Druckertreiber neu installiert');
    await done.getByTestId('case-close').click();
    await expect.poll(() => done.textContent(), { timeout: 10_000 }).toContain('Closing note: Druckertreiber neu installiert');
    expect(await done.getByTestId('case-close').count()).toBe(0);
    const dbAndLogs = Buffer.concat([databaseBytes(srv.dataDir), Buffer.from(srv.logText(), 'utf8')]);
    const secret = caseFromFragment(url.hash)!.secret;
    expect(findNeedles(dbAndLogs, [...textForms('secret', secret), ...textForms('code', code), ...textForms('description', DESCRIPTION)])).toEqual([]);
  });

  it('refuses a wrong code typed by hand like a wrong password: the case is then locked for a while, and an expired case is refused too', async () => {
    await tech.page.goto(`${srv.url}/console/#/queue`);
    const { link, code } = await newCase('Otto Normal');
    const creds = caseFromFragment(new URL(link).hash)!;
    const wrongCode = formatCaseCode({ caseId: creds.caseId, secret: newCaseCredentials().secret });

    const page = await customerPage();
    await page.goto(`${srv.url}/`);
    await page.getByTestId('have-code').click();
    await page.getByTestId('case-code-input').fill('ABC');
    await page.getByTestId('use-code').click();
    expect(await textOf(page, 'case-code-invalid')).toContain('kein vollständiger Code');
    await page.getByTestId('case-code-input').fill(wrongCode.replace(/-/g, ' ').toLowerCase());
    await page.getByTestId('use-code').click();
    expect(await customerJoins(page, 'falscher Code')).toBe('refused');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customer-case-refused-de.png') });
    // the right code now waits out the case's back-off (BACKOFF_BASE_MS), as a right password would
    await page.getByTestId('case-code-input').fill(code);
    await page.getByTestId('use-code').click();
    await page.getByTestId('send-description').click();
    // (the code is checked after the slow KDF in the page: the old refusal goes first, then the new one comes)
    // (the KDF in a browser on a machine busy with other tests took over 30 s once)
    await page.getByTestId('case-refused').waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByTestId('case-refused').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('case-waiting-for').count()).toBe(0);

    // an expired case: refused alike, and listed as expired
    const old = await newCase('Paula Späth');
    const oldId = caseFromFragment(new URL(old.link).hash)!.caseId;
    await srv.database.db.updateTable('support_cases').set({ expires_at: Date.now() - 1 }).where('id', '=', oldId).execute();
    const late = await customerPage();
    await late.goto(old.link);
    expect(await customerJoins(late, 'zu spät')).toBe('refused');
    await tech.page.reload();
    await expect.poll(() => textOf(tech.page, `case-${oldId}`), { timeout: 15_000 }).toContain('expired');
  }, 180_000);
});
