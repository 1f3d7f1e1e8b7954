import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Download } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256File, writePrngFile } from '@fernhilfe/testkit';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, SCREENSHOTS, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { customerGetsCredentials, technicianConnects, technicianSignsIn } from '../e2e/support/flows.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';

const MB20 = 20 * 1000 * 1000;

/**
 * File transfer between the two real web apps in Chromium through the real server: a 20 MB file from
 * the console to the QuickSupport page (the customer is asked, accepts, the browser downloads it) and
 * one back (the technician asks with a message, the customer picks a file, the technician saves it).
 * The downloaded files have the sent files' SHA-256. A larger transfer is photographed while its
 * progress bars move (docs/screenshots/file-transfer.png) and then cancelled from the console.
 */
describe('file transfer between the console and the QuickSupport page in Chromium', () => {
  let srv: TestServer;
  let browser: Browser;
  let cust: WatchedPage;
  let tech: WatchedPage;
  let work: string;

  beforeAll(async () => {
    assertAppsBuilt();
    work = mkdtempSync(path.join(tmpdir(), 'fernhilfe-files-e2e-'));
    srv = await startTestServer();
    browser = await launchTechnicianBrowser();
    cust = await openPage(browser, 'customer', { viewport: { width: 900, height: 1000 }, locale: 'en-US', acceptDownloads: true });
    tech = await openPage(browser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US', acceptDownloads: true });
    const creds = await customerGetsCredentials(cust.page, srv.url);
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, creds);
    await tech.page.getByTestId('end-session').waitFor({ state: 'visible', timeout: 10_000 });
    await cust.page.getByTestId('files-card').waitFor({ state: 'visible', timeout: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(work, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(cspViolations(cust, tech), 'Content-Security-Policy violations').toEqual([]);
  });

  const saved = async (download: Download, name: string) => {
    const to = path.join(work, 'downloads', name);
    await download.saveAs(to);
    return sha256File(to);
  };

  it('console -> customer: the customer sees who sends what, accepts, and the browser downloads it intact', async () => {
    const file = path.join(work, 'Handbuch.pdf');
    await writePrngFile(file, MB20, 'e2e-down');
    await tech.page.getByTestId('files-input').setInputFiles(file);
    const offer = cust.page.getByTestId('file-offer');
    await offer.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(cust.page, 'file-offer')).toContain('Max Mustermann wants to send you a file');
    expect(await textOf(cust.page, 'file-offer-name')).toBe('Handbuch.pdf');
    expect(await textOf(cust.page, 'file-offer-size')).toBe('20.0 MB');
    const download = cust.page.waitForEvent('download', { timeout: 60_000 });
    await cust.page.getByTestId('file-accept').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('Handbuch.pdf');
    expect(await saved(d, 'customer-Handbuch.pdf')).toBe(await sha256File(file));
    await expect.poll(() => tech.page.locator('[data-testid=transfer][data-state=completed]').count(), { timeout: 10_000 }).toBe(1);
    expect(await textOf(tech.page, 'transfers')).toContain('done, checked (SHA-256)');
  }, 90_000);

  it('customer -> console: the technician asks with a message, the customer sends, the technician saves it', async () => {
    await tech.page.getByTestId('files-ask-message').fill('Bitte senden Sie mir das Fehlerprotokoll');
    await tech.page.getByTestId('files-ask').click();
    await cust.page.getByTestId('file-request').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(cust.page, 'file-request-message')).toBe('Bitte senden Sie mir das Fehlerprotokoll');
    const file = path.join(work, 'fehler.log');
    await writePrngFile(file, MB20, 'e2e-up');
    await cust.page.getByTestId('file-input').setInputFiles(file);
    await tech.page.getByTestId('files-offer').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(tech.page, 'files-offer')).toContain('“fehler.log” (20.0 MB)');
    const download = tech.page.waitForEvent('download', { timeout: 60_000 });
    await tech.page.getByTestId('files-save').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('fehler.log');
    expect(await saved(d, 'tech-fehler.log')).toBe(await sha256File(file));
    await expect.poll(() => cust.page.locator('[data-testid=transfer][data-state=completed]').count(), { timeout: 10_000 }).toBe(2);
  }, 90_000);

  it('a transfer in progress shows moving progress bars with speed on both sides; cancel stops it on both', async () => {
    const file = path.join(work, 'Installationsmedium.iso');
    await writePrngFile(file, 200 * 1000 * 1000, 'e2e-big'); // below BLOB_LIMIT: the page collects it in memory
    await tech.page.getByTestId('files-input').setInputFiles(file);
    await cust.page.getByTestId('file-accept').click({ timeout: 10_000 });
    const running = tech.page.locator('[data-testid=transfer][data-state=sending]');
    await running.waitFor({ state: 'visible', timeout: 10_000 });
    const value = () => running.getByTestId('transfer-progress').evaluate((e) => (e as HTMLProgressElement).value);
    const first = await value();
    await expect.poll(value, { timeout: 10_000 }).toBeGreaterThan(first);
    await expect.poll(() => running.getByTestId('transfer-speed').textContent(), { timeout: 10_000 }).toMatch(/\d.*\/s, \d+:\d\d left/);
    await cust.page.locator('[data-testid=transfer][data-state=receiving]').waitFor({ state: 'visible', timeout: 5_000 });
    await running.scrollIntoViewIfNeeded();
    await tech.page.screenshot({ path: path.join(SCREENSHOTS, 'file-transfer.png') });
    await cust.page.screenshot({ path: path.join(SCREENSHOTS, 'file-transfer-customer.png') });
    await running.getByTestId('transfer-cancel').click();
    await expect.poll(() => tech.page.locator('[data-testid=transfer][data-state=cancelled]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => cust.page.locator('[data-testid=transfer][data-state=cancelled]').count(), { timeout: 10_000 }).toBe(1);
    expect(await textOf(cust.page, 'transfers')).toContain('The technician cancelled the transfer.');
  }, 120_000);
});
