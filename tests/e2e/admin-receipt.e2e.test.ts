import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bindFileTransfers } from '@fernhilfe/client';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditDb } from '@fernhilfe/server';
import { openPage, SCREENSHOTS } from './support/browser.js';
import { customerGetsCredentials } from './support/flows.js';
import { browserSuite } from './support/suite.js';

const FILE = new Uint8Array(52_431).map((_, i) => (i * 31) % 251);
const FILE_HASH = createHash('sha256').update(FILE).digest('hex');

/**
 * The customer's receipt in a real Chromium: after the session the summary offers it, the receipt
 * page shows and saves it (docs/screenshots/receipt.png), and the /verify page calls it genuine,
 * but not once one character is changed.
 */
describe('the customer’s receipt in the browser', () => {
  const suite = browserSuite();
  const { pages } = suite;

  it('shows, saves and verifies the receipt; one character changed and it is not genuine', async () => {
    const customer = await openPage(suite.browser, 'customer', { locale: 'de-DE', viewport: { width: 1024, height: 900 }, acceptDownloads: true });
    pages.push(customer);
    const creds = await customerGetsCredentials(customer.page, suite.srv.url);
    const tech = await suite.srv.technician();
    const session = await tech.connect(creds.id, creds.password);
    await customer.page.getByTestId('end-session').waitFor();
    // a real transfer, so that each side reports its own part (the server records only what the side can know)
    const completedOnRecord = async () => (await auditDb(suite.srv.database.db).selectFrom('audit_log').select(['event', 'actor']).execute()).filter((e) => e.event === 'file-completed' && e.actor === 'customer').length;
    const completedBefore = await completedOnRecord();
    const { files } = bindFileTransfers(session);
    const sent = files.send({ name: 'Druckertreiber.zip', size: FILE.length, readChunk: (offset, length) => Promise.resolve(FILE.subarray(offset, offset + length)) });
    await customer.page.getByTestId('file-accept').click();
    await expect.poll(() => files.get(sent.transferId)?.state, { timeout: 15_000 }).toBe('completed');
    // the customer's completion report reaches the record before the end
    await expect.poll(completedOnRecord, { timeout: 5_000 }).toBeGreaterThan(completedBefore);
    await customer.page.getByTestId('end-session').click();
    const link = customer.page.getByTestId('show-receipt');
    await link.waitFor();
    expect(await link.innerText()).toBe('Quittung anzeigen');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/receipt\?lang=de#token=[0-9a-f]{64}$/);
    expect(await link.getAttribute('rel')).toContain('noreferrer');

    const receipt = await openPage(suite.browser, 'receipt', { locale: 'de-DE', viewport: { width: 1024, height: 900 }, acceptDownloads: true });
    pages.push(receipt);
    await receipt.page.goto(`${suite.srv.url}${href}`);
    await receipt.page.getByTestId('receipt').waitFor();
    const shown = await receipt.page.locator('main').innerText();
    expect(shown).toContain('Quittung über die Fernwartung');
    expect(shown).toContain('Max Mustermann (Beispiel GmbH)');
    expect(shown).toContain('Druckertreiber.zip');
    expect(shown).toContain(`SHA-256 ${FILE_HASH}`);
    expect(shown).toContain('Bedingungen akzeptiert');
    expect(await receipt.page.getByTestId('receipt-terms').innerText()).toBe(suite.srv.terms().version);
    await receipt.page.screenshot({ path: path.join(SCREENSHOTS, 'receipt.png'), fullPage: true });

    const [download] = await Promise.all([receipt.page.waitForEvent('download'), receipt.page.locator('#save').click()]);
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ receipt: { format: 'fernhilfe-receipt/1' }, signature: { alg: 'Ed25519' } });

    const verify = await openPage(suite.browser, 'verify', { locale: 'de-DE', viewport: { width: 1024, height: 900 } });
    pages.push(verify);
    await verify.page.goto(`${suite.srv.url}/verify`);
    const check = async (text: string) => {
      await verify.page.getByTestId('verify-input').fill(text);
      await verify.page.getByTestId('verify-submit').click();
      const result = verify.page.getByTestId('verify-result');
      await result.and(verify.page.locator('[data-genuine]')).waitFor();
      const answer = { genuine: await result.getAttribute('data-genuine'), text: await result.innerText() };
      await verify.page.evaluate(() => document.getElementById('result')!.removeAttribute('data-genuine'));
      return answer;
    };
    expect(await check(saved)).toEqual({ genuine: 'true', text: expect.stringMatching(/^Echt:/) as string });
    const at = saved.indexOf('Druckertreiber') + 3;
    const changed = saved.slice(0, at) + 'X' + saved.slice(at + 1);
    expect(await check(changed)).toEqual({ genuine: 'false', text: expect.stringMatching(/^Nicht echt: Die Quittung wurde nach dem Unterschreiben verändert/) as string });
    expect(await check(saved.replace('"receipt"', '"receipt'))).toEqual({ genuine: 'false', text: expect.stringMatching(/^Nicht echt: Das ist keine Fernhilfe-Quittung/) as string });

    // and by upload: the file input reads it into the box
    await verify.page.getByTestId('verify-file').setInputFiles({ name: 'quittung.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
    await verify.page.waitForFunction(() => (document.getElementById('receipt') as HTMLTextAreaElement).value.length > 100);
    await verify.page.getByTestId('verify-submit').click();
    await verify.page.locator('[data-genuine="true"]').waitFor();
    expect(await verify.page.getByTestId('receipt').innerText()).toContain('Druckertreiber.zip');
    await verify.page.screenshot({ path: path.join(SCREENSHOTS, 'receipt-verified.png'), fullPage: true });
    tech.close();
  });
});
