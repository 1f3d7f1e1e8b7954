import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { technicianConnects, visible, type Credentials } from '@fernhilfe/testkit';
import { cspViolations, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { expectNothingFor } from '../support/quiet.js';
import { openShellPage, programOutput, startWindowsRig, technicianJoins, type WindowsRig } from './support/quicksupport.js';

/** The console's button that asks for (and gives back) control. */
const REQUEST_CONTROL = 'control-toggle';

/**
 * Issue 16's acceptance test: the real server, the technician's console in Chromium, and the
 * QuickSupport program for Windows under wine on wine's virtual desktop. The program opens its page
 * through the Windows shell (ShellExecuteW → winebrowser → the prefix's browser, here a script that
 * hands the address to Chromium), terms first, ID + password, the technician connects, asks for
 * control, the customer allows it in the program's page and takes it back, End in the page ends
 * the console's session and the ID + password are dead.
 */
describe('QuickSupport for Windows under wine, driven from the console', () => {
  let rig: WindowsRig;
  let cust: WatchedPage;
  let tech: WatchedPage;
  let creds: Credentials;

  beforeAll(async () => {
    rig = await startWindowsRig('e2e', 'exe');
  });
  afterAll(async () => {
    await rig?.stop();
  });
  afterEach(() => {
    expect(cspViolations(cust, tech), 'Content-Security-Policy violations').toEqual([]);
  });

  it('opens its page through the Windows shell: terms first, then ID + password; the technician connects', async () => {
    rig.program = rig.start(['--server', rig.srv.url, '--lang', 'en']);
    cust = await openShellPage(rig.browser, rig.shellBrowser, rig.program);
    ({ tech, creds } = await technicianJoins(rig.srv.url, rig.browser, cust));
    await expect.poll(async () => (await textOf(cust.page, 'sas')).replace(/\D/g, ''), { timeout: 5_000 }).toBe((await textOf(tech.page, 'sas')).replace(/\D/g, ''));
  }, 180_000);

  it('the technician asks for control, the customer allows it in the program’s page and takes it back', async () => {
    await tech.page.getByTestId(REQUEST_CONTROL).click();
    await visible(cust.page, 'consent-control', 10_000);
    await cust.page.getByTestId('allow-control').click();
    await visible(cust.page, 'revoke-control', 5_000);
    // the console's viewer says it controls (it is shown once the Windows capture sends pictures)
    await expect.poll(() => tech.page.locator('[data-controlling="true"]').count(), { timeout: 5_000 }).toBe(1);
    await cust.page.getByTestId('revoke-control').click();
    await expect.poll(() => cust.page.getByTestId('revoke-control').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => tech.page.locator('[data-controlling="true"]').count(), { timeout: 5_000 }).toBe(0);
    await expectNothingFor(500, 'no new prompt after Take back control', async () => expect(await cust.page.getByTestId('consent-control').count()).toBe(0));
  });

  it('End in the program’s page ends the console’s session, the program exits, the ID + password are dead', async () => {
    await cust.page.getByTestId('end-session').click();
    await tech.page.getByTestId('session-ended').waitFor({ state: 'visible', timeout: 2_000 });
    expect(await textOf(tech.page, 'session-ended')).toMatch(/customer ended/i);
    expect(await rig.program!.exited(30_000), programOutput(rig.wine, rig.program)).toBe(0);
    await visible(cust.page, 'agent-closed', 5_000);

    await tech.page.goto(`${rig.srv.url}/console/`);
    await visible(tech.page, 'connect-id', 5_000);
    await technicianConnects(tech.page, creds);
    await visible(tech.page, 'connect-error', 5_000);
    expect(await textOf(tech.page, 'connect-error')).toMatch(/customer has left|wrong id or password/i);
  });
});
