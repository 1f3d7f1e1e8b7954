import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { buildOnce, runCli } from '../support/processes.js';
import { assertAppsBuilt, cspViolations, launchCustomerBrowser, launchTechnicianBrowser, openPage, SCREENSHOTS, textOf, type WatchedPage } from './support/browser.js';
import { closeTo, customerGetsCredentials, expectCanvasPattern, hex, technicianConnects, technicianSignsIn } from './support/flows.js';
import { auditEntries, decryptWithCli, EBML_MAGIC, lastFrame, probe, recordingRows, sha256, storedFiles } from './support/recording-files.js';
import { expectedAt, paint, PATTERN_A, startScreen, type XScreen } from './support/xvfb.js';

/**
 * Session recording (issue 19, docs/recording.md) with nothing but real parts: the customer's page
 * in a normal Chromium shares a painted Xvfb screen, the technician's console in headless Chromium
 * records what it shows, seals it in the browser to a key made by `fernhilfe recording keygen`, and
 * uploads it; the test reads the server's files, decrypts them with the CLI and looks at the video
 * with ffprobe and ffmpeg. One server per policy (allowed, then required); the browsers are shared.
 */
describe('session recording between two browsers', () => {
  let tmp: string;
  let keyFile: string;
  let publicKey: string;
  let screen: XScreen;
  let techBrowser: Browser;
  let custBrowser: Browser;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    assertAppsBuilt();
    buildOnce();
    tmp = mkdtempSync(path.join(tmpdir(), 'fh-rec-e2e-'));
    keyFile = path.join(tmp, 'recording.key');
    const gen = await runCli(['recording', 'keygen', '--out', keyFile]);
    expect(gen.code, gen.stderr).toBe(0);
    publicKey = /public key: ([A-Za-z0-9_-]{43})/.exec(gen.stdout)?.[1] ?? '';
    expect(publicKey).toHaveLength(43);
    screen = await startScreen();
    await paint(screen.painter, PATTERN_A);
    [techBrowser, custBrowser] = await Promise.all([launchTechnicianBrowser(), launchCustomerBrowser(screen.display)]);
  });

  afterAll(async () => {
    await Promise.allSettled([techBrowser?.close(), custBrowser?.close()]);
    await screen?.stop();
    if (!process.env.KEEP_REC) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(cspViolations(...pages), 'Content-Security-Policy violations').toEqual([]);
  });

  /** A customer page on the X screen and a console page, both in English. */
  async function openPair(): Promise<{ cust: WatchedPage; tech: WatchedPage }> {
    const cust = await openPage(custBrowser, 'customer', { viewport: null, locale: 'en-US' });
    const tech = await openPage(techBrowser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US', acceptDownloads: true });
    pages.push(cust, tech);
    return { cust, tech };
  }

  /** The customer reaches the terms page: what it says about recording, before "I agree". */
  async function termsNotice(cust: WatchedPage, srv: TestServer): Promise<string> {
    await cust.page.goto(`${srv.url}/`);
    await cust.page.getByTestId('accept-terms').waitFor({ state: 'visible', timeout: 15_000 });
    return textOf(cust.page, 'terms-recording');
  }

  async function connect(srv: TestServer, cust: WatchedPage, tech: WatchedPage): Promise<void> {
    const creds = await customerGetsCredentials(cust.page, srv.url);
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, creds);
    await tech.page.getByTestId('end-session').waitFor({ state: 'visible', timeout: 15_000 });
    await cust.page.getByTestId('technician-name').waitFor({ state: 'visible', timeout: 10_000 });
  }

  describe('RECORDING=allowed', () => {
    let srv: TestServer;
    let cust: WatchedPage;
    let tech: WatchedPage;
    const saved: Array<{ id: string; sha256: string; size: number }> = [];

    beforeAll(async () => {
      srv = await startTestServer({ RECORDING: 'allowed', RECORDING_PUBLIC_KEY: publicKey, RETENTION_DAYS: '30' });
      await srv.accounts.createUser({ login: 'anna', password: TECH_PASSWORD, role: 'admin', displayName: 'Anna Admin', company: 'Beispiel GmbH' });
      ({ cust, tech } = await openPair());
    });
    afterAll(async () => {
      await srv?.close();
    });

    const mark = (p: WatchedPage, testId: string) => p.page.getByTestId(testId);

    /** The technician asks; the customer's page shows the question. */
    async function ask(): Promise<void> {
      await tech.page.getByTestId('recording-toggle').click();
      await cust.page.getByTestId('consent-recording').waitFor({ state: 'visible', timeout: 10_000 });
    }

    /** Allowed: both sides show the mark, and the console's running time beside it reaches `seconds` while the pattern is on screen. */
    async function recordWhileShown(seconds: number): Promise<void> {
      await cust.page.getByTestId('allow-recording').click();
      await mark(tech, 'recording-mark').waitFor({ state: 'visible', timeout: 10_000 });
      await mark(cust, 'recording-mark').waitFor({ state: 'visible', timeout: 10_000 });
      const elapsed = async () => {
        const m = /(\d+):(\d\d)/.exec(await textOf(tech.page, 'recording-elapsed'));
        return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
      };
      await expect.poll(elapsed, { timeout: 20_000, message: 'the running time beside the console’s mark' }).toBeGreaterThanOrEqual(seconds);
    }

    /** The finished recording: the newest row, its file, and the file decrypted by the CLI (checked with ffprobe and ffmpeg). */
    async function checkSaved(stoppedBy: string): Promise<{ id: string; sha256: string; size: number }> {
      await expect.poll(() => textOf(tech.page, 'recording-status'), { timeout: 20_000 }).toMatch(/Recording saved \(\d+ bytes, encrypted\)/);
      const row = (await recordingRows(srv)).at(-1)!;
      expect(row).toMatchObject({ stopped_by: stoppedBy });
      const file = path.join(srv.dataDir, 'recordings', `${row.id}.fhrec`);
      const stored = readFileSync(file);
      expect(stored.length).toBe(Number(row.size));
      expect(sha256(stored)).toBe(row.sha256);
      expect(stored.subarray(0, 16).toString('latin1')).toBe('fernhilfe-rec-v1');
      expect(stored.includes(EBML_MAGIC), 'the stored bytes contain the WebM header').toBe(false);
      expect(storedFiles(srv).filter((f) => f.includes('.parts') || f.includes('.tmp-')), 'no chunk parts or temporary files left').toEqual([]);

      const webm = await decryptWithCli(file, keyFile, path.join(tmp, `${row.id}.webm`));
      expect(webm.subarray(0, 4).toString('hex'), `the decrypted file is WebM (it starts ${webm.subarray(0, 64).toString('hex')})`).toBe(EBML_MAGIC.toString('hex'));
      const info = await probe(path.join(tmp, `${row.id}.webm`));
      expect(info.codec).toMatch(/^vp[89]$/);
      expect(info.duration).toBeGreaterThan(0);
      expect(info.frames).toBeGreaterThan(0);
      // the last frame shows the pattern painted on the customer's X screen, each quadrant at its place
      const w = 192;
      const h = 108;
      const at = await lastFrame(path.join(tmp, `${row.id}.webm`), path.join(tmp, `${row.id}.rgb`), w, h);
      const seen = expectedAt(PATTERN_A).map((p) => ({ want: p.rgb, got: at((p.x / 1920) * w, (p.y / 1080) * h), where: `${p.x},${p.y}` }));
      const wrong = seen.filter((s) => !closeTo(s.got, s.want, 48));
      expect(wrong.map((s) => `(${s.where}) want ${hex(s.want)} got ${hex(s.got)}`), `pattern in the decrypted recording (${info.width}x${info.height}, ${info.frames} frames, ${info.duration} s)`).toEqual([]);
      console.log(`recording ${row.id}: ${row.size} bytes sealed, ${info.codec} ${info.width}x${info.height}, ${info.frames} frames, ${info.duration.toFixed(2)} s`);
      return { id: row.id, sha256: row.sha256!, size: Number(row.size) };
    }

    it('states the policy on the terms page before the customer agrees', async () => {
      expect(await termsNotice(cust, srv)).toContain('the technician may ask to record this session; you decide.');
    });

    it('refused by the customer: nothing is recorded, and the console says so', async () => {
      await connect(srv, cust, tech);
      await cust.page.getByTestId('share-screen').click();
      await expectCanvasPattern(tech, PATTERN_A, 15_000, [cust]);
      await ask();
      await cust.page.getByTestId('refuse-recording').click();
      await expect.poll(() => textOf(tech.page, 'recording-status'), { timeout: 10_000 }).toBe('The customer did not allow the recording.');
      expect(await mark(tech, 'recording-mark').count()).toBe(0);
      expect(await mark(cust, 'recording-mark').count()).toBe(0);
      expect(await recordingRows(srv)).toEqual([]);
      expect(storedFiles(srv)).toEqual([]);
      expect((await auditEntries(srv, ['recording-refused'])).map((e) => e.data)).toEqual([{ required: false }]);
    });

    it('allowed: both sides show the mark; the technician stops; the server holds ciphertext that decrypts to the painted screen', async () => {
      await ask();
      await cust.page.getByTestId('consent-recording').screenshot({ path: path.join(SCREENSHOTS, 'customer-recording-consent.png') });
      await recordWhileShown(3);
      await tech.page.screenshot({ path: path.join(SCREENSHOTS, 'console-recording.png') });
      await tech.page.getByTestId('recording-toggle').click();
      const rec = await checkSaved('technician');
      saved.push(rec);
      await expect.poll(() => mark(cust, 'recording-mark').count(), { timeout: 10_000 }).toBe(0);
      expect(await mark(tech, 'recording-mark').count()).toBe(0);
      const audit = await auditEntries(srv, ['recording-started', 'recording-stopped']);
      expect(audit).toEqual([
        { event: 'recording-started', data: { recordingId: rec.id } },
        { event: 'recording-stopped', data: { recordingId: rec.id, stoppedBy: 'technician', size: rec.size, sha256: rec.sha256, durationMs: expect.any(Number) as number } },
      ]);
    });

    it('stopped by the customer: the mark goes on both sides, and the file is complete and decrypts', async () => {
      await ask();
      await recordWhileShown(2);
      await cust.page.getByTestId('revoke-recording').click();
      await expect.poll(() => mark(tech, 'recording-mark').count(), { timeout: 10_000 }).toBe(0);
      expect(await mark(cust, 'recording-mark').count()).toBe(0);
      const rec = await checkSaved('customer');
      saved.push(rec);
    });

    it('puts start, stop, size and SHA-256 of each recording in the customer’s receipt', async () => {
      await cust.page.getByTestId('end-session').click();
      const link = cust.page.getByTestId('show-receipt');
      await link.waitFor({ state: 'visible', timeout: 10_000 });
      const receipt = await openPage(techBrowser, 'receipt', { locale: 'en-US' });
      pages.push(receipt);
      await receipt.page.goto(`${srv.url}${await link.getAttribute('href')}`);
      await receipt.page.getByTestId('receipt').waitFor();
      const events = receipt.page.getByTestId('receipt-events');
      const started = await events.locator('tr[data-event="recording-started"]').allInnerTexts();
      const stopped = await events.locator('tr[data-event="recording-stopped"]').allInnerTexts();
      expect(started).toHaveLength(2);
      expect(started.every((t) => t.includes('Recording started'))).toBe(true);
      expect(stopped).toHaveLength(2);
      for (const [i, rec] of saved.entries()) {
        expect(stopped[i]).toContain('Recording stopped');
        expect(stopped[i]).toContain(`${rec.size.toLocaleString('en-US')} bytes`);
        expect(stopped[i]).toContain(`SHA-256 ${rec.sha256}`);
      }
      await receipt.context.close();
    });

    it('#/recordings (admins): lists the recordings, downloads the stored bytes, deletes one (row, file, audit entry)', async () => {
      const admin = await openPage(techBrowser, 'admin', { viewport: { width: 1280, height: 860 }, locale: 'en-US', acceptDownloads: true });
      pages.push(admin);
      await technicianSignsIn(admin.page, srv.url, 'anna', TECH_PASSWORD);
      await admin.page.getByTestId('nav-recordings').click();
      await admin.page.getByTestId('recordings-table').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await textOf(admin.page, 'recordings-retention')).toBe('Recordings are deleted automatically 30 days after they were made (RETENTION_DAYS).');
      expect(await admin.page.getByTestId('recording-row').count()).toBe(2);
      const customerId = (await recordingRows(srv))[0]!.customer_id.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
      for (const rec of saved) {
        const row = admin.page.locator(`[data-testid="recording-row"][data-id="${rec.id}"]`);
        const text = await row.innerText();
        expect(text).toContain(customerId);
        expect(text).toContain('Max Mustermann');
        expect(text).toContain(`${rec.size.toLocaleString('en-US')} B`);
        expect(text).toMatch(/\d+ s/);
        expect(await row.getByTestId('recording-sha256').innerText()).toBe(rec.sha256);
      }
      await admin.page.screenshot({ path: path.join(SCREENSHOTS, 'console-recordings.png'), fullPage: true });

      const [first, second] = saved as [(typeof saved)[0], (typeof saved)[0]];
      const file = (id: string) => path.join(srv.dataDir, 'recordings', `${id}.fhrec`);
      const row = admin.page.locator(`[data-testid="recording-row"][data-id="${first.id}"]`);
      const [download] = await Promise.all([admin.page.waitForEvent('download'), row.getByTestId('recording-download').click()]);
      expect(download.suggestedFilename()).toMatch(/^recording-\d{9}-[\d-]+\.fhrec$/);
      expect(readFileSync((await download.path())!).equals(readFileSync(file(first.id))), 'the download is the stored ciphertext').toBe(true);

      await row.getByTestId('recording-delete').click();
      await row.getByTestId('recording-delete-confirm').click();
      await expect.poll(() => admin.page.getByTestId('recording-row').count(), { timeout: 10_000 }).toBe(1);
      expect(await textOf(admin.page, 'recordings-notice')).toBe(`The recording of ${customerId} was deleted.`);
      expect(existsSync(file(first.id))).toBe(false);
      expect(existsSync(file(second.id))).toBe(true);
      expect((await recordingRows(srv)).map((r) => r.id)).toEqual([second.id]);
      expect((await auditEntries(srv, ['recording-deleted'])).map((e) => e.data)).toEqual([{ recordingId: first.id, size: first.size, sha256: first.sha256 }]);
    });
  });

  describe('RECORDING=required', () => {
    let srv: TestServer;

    beforeAll(async () => {
      srv = await startTestServer({ RECORDING: 'required', RECORDING_PUBLIC_KEY: publicKey });
    });
    afterAll(async () => {
      await srv?.close();
    });

    it('states the policy on the terms page; a customer who refuses is told why and the session ends on both sides', async () => {
      const { cust, tech } = await openPair();
      expect(await termsNotice(cust, srv)).toContain('this service records sessions; you can decline, then the session cannot take place.');
      await connect(srv, cust, tech);
      // required: the console asks at once
      await cust.page.getByTestId('consent-recording').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await textOf(cust.page, 'consent-recording')).toContain('If you refuse, the session ends.');
      await cust.page.getByTestId('refuse-recording').click();
      await tech.page.getByTestId('session-ended').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await textOf(tech.page, 'session-ended')).toContain('The customer refused the recording, which this server requires, so the session ended.');
      await cust.page.getByTestId('summary').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await textOf(cust.page, 'summary-reason')).toBe('The session ended because you refused the recording, which this support company requires.');
      expect(await recordingRows(srv)).toEqual([]);
      expect(storedFiles(srv)).toEqual([]);
      expect((await auditEntries(srv, ['recording-refused'])).map((e) => e.data)).toEqual([{ required: true }]);
    });
  });
});
