import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCutProxy, type CutProxy } from '../support/cut-proxy.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { assertAppsBuilt, cspViolations, launchCustomerBrowser, launchTechnicianBrowser, openPage, type WatchedPage } from './support/browser.js';
import { customerGetsCredentials, expectCanvasPattern, technicianConnects, technicianSignsIn } from './support/flows.js';
import { paint, PATTERN_A, PATTERN_B, startScreen, type QuadrantPattern, type XScreen } from './support/xvfb.js';

/**
 * The console's connection drops in the middle of a session (a TCP proxy between the console and the
 * server cuts it and refuses reconnects for 3 s): the console says it is reconnecting, then shows the
 * live picture again, without a new password.
 */
describe('the console survives a dropped connection', () => {
  let srv: TestServer;
  let proxy: CutProxy;
  let screen: XScreen;
  let techBrowser: Browser;
  let custBrowser: Browser;
  let cust: WatchedPage;
  let tech: WatchedPage;

  beforeAll(async () => {
    assertAppsBuilt();
    srv = await startTestServer({ P2P: '0' }); // this test cuts the relay path: the session must not have moved onto a direct channel
    proxy = await startCutProxy(srv.url);
    screen = await startScreen();
    await screen.painter.fill([128, 128, 128]);
    [techBrowser, custBrowser] = await Promise.all([launchTechnicianBrowser(), launchCustomerBrowser(screen.display)]);
    cust = await openPage(custBrowser, 'customer', { viewport: null, locale: 'en-US' });
    tech = await openPage(techBrowser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  });

  afterAll(async () => {
    await Promise.allSettled([techBrowser?.close(), custBrowser?.close()]);
    await screen?.stop();
    await proxy?.close();
    await srv?.close();
  });

  afterEach(() => {
    expect(cspViolations(cust, tech), 'Content-Security-Policy violations').toEqual([]);
  });

  const expectPattern = (pattern: QuadrantPattern, withinMs: number) => expectCanvasPattern(tech, pattern, withinMs, [cust]);


  it('shows "reconnecting" while the connection is down, then the live picture again', async () => {
    const creds = await customerGetsCredentials(cust.page, srv.url);
    const viaProxy = proxy.url.replace(/^ws/, 'http');
    await technicianSignsIn(tech.page, viaProxy, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, creds);
    await tech.page.getByTestId('end-session').waitFor({ state: 'visible', timeout: 10_000 });
    await cust.page.getByTestId('share-screen').click();
    await paint(screen.painter, PATTERN_A);
    await expectPattern(PATTERN_A, 8_000);
    expect(await tech.page.getByTestId('reconnecting').count()).toBe(0);

    proxy.block(3_000, 'technician');
    expect(proxy.cut('technician')).toBeGreaterThan(0);
    await tech.page.getByTestId('reconnecting').waitFor({ state: 'visible', timeout: 3_000 });
    expect(await tech.page.getByTestId('end-session').isVisible()).toBe(true); // still the same session

    await tech.page.getByTestId('reconnecting').waitFor({ state: 'hidden', timeout: 15_000 });
    await paint(screen.painter, PATTERN_B);
    await expectPattern(PATTERN_B, 5_000);

    // the same session: no second pairing, the customer still connected to the same technician
    expect(await tech.page.getByTestId('session-ended').count()).toBe(0);
    expect(await cust.page.getByTestId('summary').count()).toBe(0);
    const resumes = proxy.connections('technician').filter((c) => c.path.startsWith('/ws/technician'));
    expect(resumes.length).toBeGreaterThanOrEqual(2); // the first connection and the resumed one
  });
});
