import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSignature, keyIdOf, rawPublicKey, signAgent } from '@fernhilfe/server/agent-download/public';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { customerGetsCredentials } from '../e2e/support/flows.js';
import { expectNothingFor } from '../support/quiet.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { AGENT_FILE } from './build-fixture.js';
import { WINDOWS_FILE } from './build-windows-fixture.js';

const UA = {
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  linux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The QuickSupport page offers the signed program, with size and fingerprint, only when the server
 * verified it. A small random file stands in for the program (the server does not care what it is).
 */
describe('the QuickSupport page offers the signed QuickSupport program', () => {
  let browser: Browser;
  const dirs: string[] = [];
  const servers: TestServer[] = [];
  const pages: WatchedPage[] = [];
  const keyIds = new Map<string, string>();

  beforeAll(async () => {
    assertAppsBuilt();
    browser = await launchTechnicianBrowser();
  });
  afterEach(() => expect(cspViolations(...pages.splice(0))).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function serverWithProgram(bytes: Buffer, opts: { tamper?: boolean; windows?: Buffer } = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-page-'));
    dirs.push(dir);
    const key = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(path.join(dir, `${AGENT_FILE}.sig`), formatSignature(signAgent(bytes, AGENT_FILE, key, { version: '1.0.0', built: new Date().toISOString() })));
    const served = Buffer.from(bytes);
    if (opts.tamper) served[7] = served[7]! ^ 0xff;
    writeFileSync(path.join(dir, AGENT_FILE), served);
    if (opts.windows) {
      writeFileSync(path.join(dir, WINDOWS_FILE), opts.windows);
      writeFileSync(path.join(dir, `${WINDOWS_FILE}.sig`), formatSignature(signAgent(opts.windows, WINDOWS_FILE, key, { version: '1.0.0', built: new Date().toISOString() })));
    }
    keyIds.set(dir, keyIdOf(key));
    const srv = await startTestServer({ AGENT_DIR: dir, AGENT_PUBLIC_KEY: Buffer.from(rawPublicKey(key)).toString('base64') });
    servers.push(srv);
    return srv;
  }

  async function customerPage(srv: TestServer, locale: string, userAgent?: string) {
    const p = await openPage(browser, `customer-${locale}`, { locale, ...(userAgent ? { userAgent } : {}) });
    pages.push(p);
    const info = p.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/agent/info', { timeout: 15_000 });
    await customerGetsCredentials(p.page, srv.url);
    return { ...p, info };
  }

  it('shows the download link with its size and SHA-256 fingerprint, and the link gives the program', async () => {
    const bytes = randomBytes(2_600_000);
    const srv = await serverWithProgram(bytes);
    const p = await customerPage(srv, 'en-US');
    await p.page.getByTestId('agent-download').waitFor({ state: 'visible', timeout: 10_000 });

    expect(await textOf(p.page, 'agent-download-link')).toBe('Download the QuickSupport program for remote control (Linux)');
    expect(await textOf(p.page, 'agent-download-size')).toBe('about 3 MB');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect((await textOf(p.page, 'agent-download-sha256')).replace(/ /g, '')).toBe(sha);

    const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.getByTestId('agent-download-link').click()]);
    expect(download.suggestedFilename()).toBe(AGENT_FILE);
    const saved = path.join(dirs[0]!, 'downloaded');
    await download.saveAs(saved);
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(sha);
  });

  it('says it in German too', async () => {
    const srv = await serverWithProgram(randomBytes(1_200_000));
    const p = await customerPage(srv, 'de-DE');
    await p.page.getByTestId('agent-download').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(p.page, 'agent-download-link')).toBe('QuickSupport-Programm für die Fernsteuerung herunterladen (Linux)');
    expect(await textOf(p.page, 'agent-download-size')).toBe('etwa 1 MB');
  });

  it('offers nothing when the signature does not verify', async () => {
    const srv = await serverWithProgram(randomBytes(500_000), { tamper: true });
    const p = await customerPage(srv, 'en-US');
    // the page asks the server, gets available: false, and renders no offer
    expect(await (await p.info).json()).toMatchObject({ available: false, downloadUrl: null });
    await p.page.getByTestId('scam-guard').waitFor({ state: 'visible' });
    await expectNothingFor(300, 'no download is offered when the signature does not verify', async () => expect(await p.page.getByTestId('agent-download').count()).toBe(0));
    expect(await p.page.locator('body').innerText()).not.toContain('QuickSupport program');
  });

  it("lists the build for the visitor's OS first, with size, SHA-256 and signer, the others below", async () => {
    const linux = randomBytes(1_400_000);
    const windows = randomBytes(2_600_000);
    const srv = await serverWithProgram(linux, { windows });
    const keyId = keyIds.get(dirs.at(-1)!)!;

    const win = await customerPage(srv, 'en-US', UA.windows);
    await win.page.getByTestId('agent-download').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(win.page, 'agent-download-link')).toBe('Download the QuickSupport program for remote control (Windows)');
    expect(await textOf(win.page, 'agent-download-size')).toBe('about 3 MB');
    expect((await textOf(win.page, 'agent-download-sha256')).replace(/ /g, '')).toBe(sha256(windows));
    expect(await textOf(win.page, 'agent-download-signer')).toContain(`(key ${keyId})`);
    const others = win.page.getByTestId('agent-download-other');
    expect(await others.count()).toBe(1);
    expect(await others.getAttribute('data-platform')).toBe('linux-x64');
    expect(await textOf(win.page, 'agent-download-other-link')).toBe('Download the QuickSupport program for remote control (Linux)');
    expect((await textOf(win.page, 'agent-download-other-sha256')).replace(/ /g, '')).toBe(sha256(linux));
    const [download] = await Promise.all([win.page.waitForEvent('download'), win.page.getByTestId('agent-download-link').click()]);
    expect(download.suggestedFilename()).toBe(WINDOWS_FILE);
    const saved = path.join(dirs.at(-1)!, 'downloaded.exe');
    await download.saveAs(saved);
    expect(sha256(readFileSync(saved))).toBe(sha256(windows));

    const lin = await customerPage(srv, 'de-DE', UA.linux);
    await lin.page.getByTestId('agent-download').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(lin.page, 'agent-download-link')).toBe('QuickSupport-Programm für die Fernsteuerung herunterladen (Linux)');
    expect((await textOf(lin.page, 'agent-download-sha256')).replace(/ /g, '')).toBe(sha256(linux));
    expect(await lin.page.getByTestId('agent-download-other').getAttribute('data-platform')).toBe('win-x64');
    expect(await textOf(lin.page, 'agent-download-other-link')).toBe('QuickSupport-Programm für die Fernsteuerung herunterladen (Windows)');
  });

  it('tells a Mac visitor plainly that there is no Mac build yet, and lists the others', async () => {
    const srv = await serverWithProgram(randomBytes(300_000), { windows: randomBytes(400_000) });
    const mac = await customerPage(srv, 'en-US', UA.mac);
    await mac.page.getByTestId('agent-download').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(mac.page, 'agent-download-not-for-you')).toBe('There is no QuickSupport program for Mac yet. Your technician can still help you through this page.');
    expect(await mac.page.getByTestId('agent-download-link').count()).toBe(0);
    expect(await mac.page.getByTestId('agent-download-other').evaluateAll((els) => els.map((e) => e.getAttribute('data-platform')))).toEqual(['win-x64', 'linux-x64']);
  });
});
