import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../e2e/support/browser.js';
import { openShellPage, programOutput, startWindowsRig, technicianJoins, type WindowsRig } from './support/quicksupport.js';

/**
 * The signed fernhilfe-quicksupport.exe under wine goes direct too (docs/p2p.md: werift is inside the
 * program): the console in Chromium and the program on this machine's own addresses (no TURN
 * server is configured), the session moves onto the data channel, and chat crosses both ways with
 * no byte relayed by the server.
 */
describe('QuickSupport for Windows under wine: a direct session', () => {
  let rig: WindowsRig;

  beforeAll(async () => {
    rig = await startWindowsRig('direct', 'exe');
  }, 300_000);
  afterAll(async () => {
    await rig?.stop();
  });

  it('the console shows Direct, and chat crosses both ways with no byte through the server', async () => {
    rig.program = rig.start(['--server', rig.srv.url, '--lang', 'en']);
    const cust = await openShellPage(rig.browser, rig.shellBrowser, rig.program);
    const { tech } = await technicianJoins(rig.srv.url, rig.browser, cust);
    const indicator = tech.page.getByTestId('session-path');
    await expect.poll(() => indicator.getAttribute('data-path'), { timeout: 60_000, message: `the console goes direct\n${programOutput(rig.wine, rig.program)}` }).toBe('direct');
    expect(await textOf(tech.page, 'session-path')).toBe('Direct');

    const before = rig.srv.relayMeter.bytes;
    await tech.page.getByTestId('chat-input').fill('Hallo über den direkten Weg');
    await tech.page.getByTestId('chat-send').click();
    await expect.poll(() => cust.page.getByTestId('chat-log').locator('[data-from="technician"]').allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringContaining('Hallo über den direkten Weg'));
    await cust.page.getByTestId('chat-input').fill('Angekommen');
    await cust.page.getByTestId('chat-send').click();
    await expect.poll(() => tech.page.getByTestId('chat-log').locator('[data-from="customer"]').allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringContaining('Angekommen'));
    expect(rig.srv.relayMeter.bytes - before, 'bytes the server relayed while chat went both ways').toBe(0);
  }, 240_000);
});
