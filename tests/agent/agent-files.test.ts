import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Download } from 'playwright-core';
import { bindFileTransfers, bytesSource } from '@fernhilfe/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingFor } from '../support/quiet.js';
import { technicianConnects, technicianSignsIn, visible } from '../../packages/cli/src/bench/browser-flows.js';
import { sha256File, writePrngFile } from '../../packages/cli/src/bench/files/prng.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, SCREENSHOTS, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { acceptAndReadCredentials, startAgentWithPage, type AgentWithPage } from './support/agent-page.js';
import { assertAgentBuilt, startAgent, type AgentProcess } from './support/agent-process.js';

const MB = 1000 * 1000;

/** Every entry below `dir` (hidden temporary files included), as relative paths. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/**
 * File transfer through the native agent: the real server, the real agent (--no-browser) with its
 * page in headless Chromium, the technician's console in headless Chromium. A file from the console
 * is offered in the agent's page (who, name, size, where it goes), accepted, and lands in the
 * customer's Downloads folder (under the HOME the test gives the agent) with the same SHA-256, never
 * overwriting; a refused file writes nothing. The technician asks for a file with a message, the
 * customer picks one in the agent's page, the agent reads it from the page (nothing is written on
 * the customer's side), and the console saves it with the same SHA-256.
 */
describe('file transfer through the native agent and its page', () => {
  let srv: TestServer;
  let browser: Browser;
  let run: AgentWithPage;
  let tech: WatchedPage;
  let home: string;
  let work: string;
  let downloads: string;

  beforeAll(async () => {
    assertAgentBuilt();
    assertAppsBuilt();
    srv = await startTestServer();
    browser = await launchTechnicianBrowser();
    home = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-home-'));
    work = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-files-'));
    downloads = path.join(home, 'Downloads'); // not there yet: the agent makes it on the first Accept
    run = await startAgentWithPage(srv.url, browser, { env: { DISPLAY: '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } });
    tech = await openPage(browser, 'technician', { viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
    const creds = await acceptAndReadCredentials(run.cust);
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, creds);
    await visible(tech.page, 'end-session', 10_000);
    await visible(run.cust.page, 'files-card', 10_000);
  }, 90_000);

  afterAll(async () => {
    await run?.agent.kill();
    await browser?.close();
    await srv?.close();
    for (const dir of [home, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(cspViolations(run?.cust, tech), 'Content-Security-Policy violations').toEqual([]);
  });

  const page = () => run.cust.page;
  const rows = (p: WatchedPage['page'], state: string) => p.locator(`[data-testid=transfer][data-state=${state}]`);

  it('console -> agent: the page asks (who, name, size, folder); Accept saves into Downloads with the same SHA-256, never overwriting', async () => {
    const file = path.join(work, 'Bericht März.pdf');
    await writePrngFile(file, 6 * MB, 'agent-down');
    await tech.page.getByTestId('files-input').setInputFiles(file);
    const offer = page().getByTestId('file-offer');
    await offer.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(page(), 'file-offer')).toContain('Max Mustermann wants to send you a file');
    expect(await textOf(page(), 'file-offer-name')).toBe('Bericht März.pdf');
    expect(await textOf(page(), 'file-offer-size')).toBe('6.0 MB');
    expect(await textOf(page(), 'file-offer')).toContain(`saved in ${downloads}`);
    await page().screenshot({ path: path.join(SCREENSHOTS, 'agent-file-offer.png') });
    expect(tree(downloads), 'nothing before the customer accepts').toEqual([]);
    await page().getByTestId('file-accept').click();
    await expect.poll(() => rows(page(), 'completed').count(), { timeout: 30_000 }).toBe(1);
    expect(tree(downloads)).toEqual(['Bericht März.pdf']);
    expect(await sha256File(path.join(downloads, 'Bericht März.pdf'))).toBe(await sha256File(file));
    await expect.poll(() => rows(tech.page, 'completed').count(), { timeout: 10_000 }).toBe(1);

    // the same name again: a second file beside it, the first one untouched
    await tech.page.getByTestId('files-input').setInputFiles(file);
    await page().getByTestId('file-accept').click({ timeout: 10_000 });
    await expect.poll(() => rows(page(), 'completed').count(), { timeout: 30_000 }).toBe(2);
    expect(tree(downloads)).toEqual(['Bericht März (2).pdf', 'Bericht März.pdf']);
    expect(await sha256File(path.join(downloads, 'Bericht März (2).pdf'))).toBe(await sha256File(file));
    expect(await sha256File(path.join(downloads, 'Bericht März.pdf'))).toBe(await sha256File(file));
  }, 90_000);

  it('console -> agent: Refuse writes nothing and the console says it was refused', async () => {
    const file = path.join(work, 'setup.exe');
    await writePrngFile(file, 2 * MB, 'agent-refuse');
    const before = tree(home);
    await tech.page.getByTestId('files-input').setInputFiles(file);
    await page().getByTestId('file-refuse').click({ timeout: 10_000 });
    await expect.poll(() => rows(tech.page, 'refused').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => rows(page(), 'refused').count(), { timeout: 10_000 }).toBe(1);
    expect(await page().getByTestId('file-offer').count()).toBe(0);
    await expectNothingFor(300, 'a refused file writes nothing', () => expect(tree(home)).toEqual(before));
  }, 60_000);

  it('agent -> console: the technician asks with a message, the customer picks a file in the page, the agent reads it from the page, the console saves it', async () => {
    await tech.page.getByTestId('files-ask-message').fill('Bitte senden Sie mir das Fehlerprotokoll');
    await tech.page.getByTestId('files-ask').click();
    await visible(page(), 'file-request', 10_000);
    expect(await textOf(page(), 'file-request-message')).toBe('Bitte senden Sie mir das Fehlerprotokoll');
    const file = path.join(work, 'fehler.log');
    await writePrngFile(file, 20 * MB, 'agent-up');
    const before = tree(home);
    await page().getByTestId('file-input').setInputFiles(file);
    await tech.page.getByTestId('files-offer').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(tech.page, 'files-offer')).toContain('“fehler.log” (20.0 MB)');
    const download = tech.page.waitForEvent('download', { timeout: 60_000 });
    await tech.page.getByTestId('files-save').click();
    await expect.poll(() => rows(page(), 'sending').count(), { timeout: 10_000 }).toBe(1);
    await page().screenshot({ path: path.join(SCREENSHOTS, 'agent-file-sending.png') });
    const d: Download = await download;
    expect(d.suggestedFilename()).toBe('fehler.log');
    const to = path.join(work, 'saved', 'fehler.log');
    await d.saveAs(to);
    expect(await sha256File(to)).toBe(await sha256File(file));
    await expect.poll(() => rows(page(), 'completed').count(), { timeout: 10_000 }).toBe(3);
    expect(await page().getByTestId('file-request').count(), 'the request is answered').toBe(0);
    expect(tree(home), 'sending writes nothing on the customer side').toEqual(before);
  }, 90_000);
});

/**
 * The terminal UI (no browser): a file offer from a real technician (the client library through the
 * real server) is answered with y (saved into Downloads, same SHA-256) or n (nothing written).
 */
describe('file offers in the agent’s terminal UI', () => {
  let srv: TestServer;
  let agent: AgentProcess | undefined;
  let home: string;

  beforeAll(async () => {
    assertAgentBuilt();
    srv = await startTestServer();
    home = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-tui-home-'));
  });
  afterAll(async () => {
    await agent?.kill();
    await srv?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('y saves the offered file into Downloads, n refuses and writes nothing', async () => {
    agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'en'], { env: { DISPLAY: '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } });
    const a = agent;
    for (let i = 0; i < 200 && !/\[y\] yes, \[n\] no/.test(a.stdout()); i++) {
      await a.waitFor(/\[Enter\] more|\[y\] yes, \[n\] no/);
      if (/\[y\] yes, \[n\] no/.test(a.stdout())) break;
      const shown = a.stdout().length;
      a.type('');
      await expect.poll(() => a.stdout().length, { timeout: 5_000 }).toBeGreaterThan(shown);
    }
    a.type('y');
    const id = (await a.waitFor(/ID:\s+(\d{3} \d{3} \d{3})/))[1]!.replace(/\s/g, '');
    const password = (await a.waitFor(/Password:\s+(\S+)/))[1]!;
    const techEndpoint = await srv.technician();
    const session = await techEndpoint.connect(id, password);
    const { files } = bindFileTransfers(session);
    await a.waitFor(/Connected with/);

    const bytes = new Uint8Array(3 * MB).map((_, i) => (i * 7) & 255);
    const sent = files.send(bytesSource('Rechnung.pdf', bytes));
    await a.waitFor(/wants to send you the file "Rechnung\.pdf" \(3\.0 MB\)\. It will be saved in .*Downloads\. Accept\? \[y\] yes, \[n\] no/);
    expect(tree(path.join(home, 'Downloads'))).toEqual([]);
    a.type('y');
    await a.waitFor(/File saved: .*Downloads\/Rechnung\.pdf \(SHA-256 checked\)/, 30_000);
    await expect.poll(() => files.get(sent.transferId)?.state, { timeout: 10_000 }).toBe('completed');
    expect(tree(path.join(home, 'Downloads'))).toEqual(['Rechnung.pdf']);
    expect(createHash('sha256').update(readFileSync(path.join(home, 'Downloads', 'Rechnung.pdf'))).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));

    const refused = files.send(bytesSource('virus.exe', new Uint8Array(1000).fill(1)));
    await a.waitFor(/send you the file "virus\.exe"/);
    a.type('n');
    await expect.poll(() => files.get(refused.transferId)?.state, { timeout: 10_000 }).toBe('refused');
    expect(tree(home)).toEqual(['Downloads', 'Downloads/Rechnung.pdf']);
    a.type('e');
    expect(await a.exited).toBe(0);
  }, 90_000);
});
