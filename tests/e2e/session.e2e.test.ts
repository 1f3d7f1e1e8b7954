import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { assertAppsBuilt, cspViolations, launchCustomerBrowser, launchTechnicianBrowser, openPage, SCREENSHOTS, textOf, type WatchedPage } from './support/browser.js';
import { customerGetsCredentials, expectCanvasPattern, technicianConnects, technicianSignsIn, type Credentials } from './support/flows.js';
import { paint, PATTERN_A, PATTERN_B, startScreen, type QuadrantPattern, type XScreen } from './support/xvfb.js';

/**
 * The whole product with nothing but browsers: the customer's page in a normal Chromium on a
 * 1920x1080 X screen (Xvfb) shares that screen; the technician's console in headless Chromium
 * shows it. The X screen is painted with known colours and the console's canvas is read back.
 */
describe('a support session between two browsers, with real pixels', () => {
  let srv: TestServer;
  let screen: XScreen;
  let techBrowser: Browser;
  let custBrowser: Browser;
  let cust: WatchedPage;
  let tech: WatchedPage;
  let creds: Credentials | undefined;

  beforeAll(async () => {
    assertAppsBuilt();
    srv = await startTestServer();
    screen = await startScreen();
    await screen.painter.fill([128, 128, 128]);
    [techBrowser, custBrowser] = await Promise.all([launchTechnicianBrowser(), launchCustomerBrowser(screen.display)]);
    // viewport null: the page gets the real 480x360 window, so the rest of the screen shows the pattern
    cust = await openPage(custBrowser, 'customer', { viewport: null, locale: 'en-US' });
    tech = await openPage(techBrowser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  });

  afterAll(async () => {
    await Promise.allSettled([techBrowser?.close(), custBrowser?.close()]);
    await screen?.stop();
    await srv?.close();
  });

  afterEach(() => {
    expect(cspViolations(cust, tech), 'Content-Security-Policy violations').toEqual([]);
  });

  /** Customer gets ID + password, technician signs in and connects: once per file. */
  async function inSession(): Promise<Credentials> {
    if (creds) return creds;
    const got = await customerGetsCredentials(cust.page, srv.url);
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, got);
    await tech.page.getByTestId('end-session').waitFor({ state: 'visible', timeout: 10_000 });
    await cust.page.getByTestId('technician-name').waitFor({ state: 'visible', timeout: 10_000 });
    creds = got;
    return got;
  }

  const expectPattern = (pattern: QuadrantPattern, withinMs: number) => expectCanvasPattern(tech, pattern, withinMs, [cust]);


  it('shows the customer’s real X screen on the technician’s canvas, and each change within 2 s', async () => {
    await inSession();
    expect(await textOf(cust.page, 'technician-name')).toContain('Max Mustermann');
    // both ends derived the same short authentication string from their own keys
    const sasDigits = async (p: WatchedPage) => (await textOf(p.page, 'sas')).replace(/\D/g, '');
    await expect.poll(() => sasDigits(cust), { timeout: 5_000 }).toMatch(/^\d{4,}$/);
    expect(await sasDigits(tech)).toBe(await sasDigits(cust));
    await cust.page.getByTestId('share-screen').click();
    await tech.page.getByTestId('viewer-canvas').waitFor({ state: 'visible', timeout: 10_000 });

    await paint(screen.painter, PATTERN_A);
    // the first frame includes starting the encoder and decoder: allow 8 s for it, then 2 s per change
    await expectPattern(PATTERN_A, 8_000);
    await paint(screen.painter, PATTERN_B);
    const msB = await expectPattern(PATTERN_B, 2_000);
    await paint(screen.painter, PATTERN_A);
    const msA = await expectPattern(PATTERN_A, 2_000);
    console.log(`screen change -> console canvas: ${msB.toFixed(0)} ms, ${msA.toFixed(0)} ms`);
    await expect.poll(() => textOf(tech.page, 'quality'), { timeout: 5_000 }).toMatch(/\d+\s*fps/);

    await tech.page.screenshot({ path: path.join(SCREENSHOTS, 'console-session.png') });
    await cust.page.screenshot({ path: path.join(SCREENSHOTS, 'customer-session.png') });
  });

  it('carries chat both ways: each side sees the other’s text, marked with who wrote it', async () => {
    await inSession();
    const fromCustomer = `Hallo, mein Drucker druckt nicht (${Date.now()})`;
    const fromTechnician = `Guten Tag! Ich schaue es mir an – Ä Ö Ü ß € (${Date.now()})`;

    await cust.page.getByTestId('chat-input').fill(fromCustomer);
    await cust.page.getByTestId('chat-send').click();
    await expect.poll(() => tech.page.getByTestId('chat-log').locator('[data-from="customer"]').allTextContents(), { timeout: 3_000 }).toContainEqual(expect.stringContaining(fromCustomer));

    await tech.page.getByTestId('chat-input').fill(fromTechnician);
    await tech.page.getByTestId('chat-send').click();
    await expect.poll(() => cust.page.getByTestId('chat-log').locator('[data-from="technician"]').allTextContents(), { timeout: 3_000 }).toContainEqual(expect.stringContaining(fromTechnician));

    // each side shows its own message as its own, not as the other's
    expect(await tech.page.getByTestId('chat-log').locator('[data-from="technician"]').allTextContents()).toContainEqual(expect.stringContaining(fromTechnician));
    expect(await cust.page.getByTestId('chat-log').locator('[data-from="customer"]').allTextContents()).toContainEqual(expect.stringContaining(fromCustomer));
    expect(await tech.page.getByTestId('chat-log').locator('[data-from="customer"]').allTextContents()).not.toContainEqual(expect.stringContaining(fromTechnician));

    await tech.page.screenshot({ path: path.join(SCREENSHOTS, 'console-session.png') });
    // the real window is 480x360 so that the pattern stays visible; the picture for the docs is larger
    await cust.page.setViewportSize({ width: 1024, height: 768 });
    await cust.page.screenshot({ path: path.join(SCREENSHOTS, 'customer-session.png'), fullPage: true });
  });

  it('ends when the customer clicks End: the console says so at once (within 3 s on a loaded machine), and the same ID + password no longer work', async () => {
    const used = await inSession();
    await cust.page.getByTestId('end-session').click();
    const clicked = performance.now();
    await tech.page.getByTestId('session-ended').waitFor({ state: 'visible', timeout: 3_000 });
    const ms = performance.now() - clicked;
    expect(await textOf(tech.page, 'session-ended')).toMatch(/customer ended/i);
    expect(ms).toBeLessThan(3_000);
    await cust.page.getByTestId('summary').waitFor({ state: 'visible', timeout: 3_000 });

    // back to the connect form (still signed in): reload the console
    await tech.page.goto(`${srv.url}/console/`);
    await tech.page.getByTestId('connect-id').waitFor({ state: 'visible', timeout: 5_000 });
    await technicianConnects(tech.page, used);
    const error = tech.page.getByTestId('connect-error');
    await error.waitFor({ state: 'visible', timeout: 5_000 });
    // the server remembers retired IDs for a while and says "customer-left"; an unknown one is "wrong-credentials"
    expect(await textOf(tech.page, 'connect-error')).toMatch(/customer has left|wrong id or password/i);
    expect(await tech.page.getByTestId('end-session').count(), 'no session in the console').toBe(0);
    expect(await tech.page.getByTestId('viewer-canvas').count()).toBe(0);
  });
});
