import { deriveCaseKeys, formatCaseCode, newCaseCredentials, type SupportCase } from '@fernhilfe/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { visible, startXvfb, type Xvfb } from '@fernhilfe/testkit';
import { cspViolations, launchTechnicianBrowser, textOf } from '../e2e/support/browser.js';
import { HttpSession } from '../server/http-session.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { assertAgentBuilt } from './support/agent-process.js';
import { startAgentWithPage, type AgentWithPage } from './support/agent-page.js';

/**
 * The native program's page takes a support case's code too (docs/cases.md): typed by hand, sent to
 * the agent over its local link; the agent's flow joins the case, and Take case + the secret as the
 * password open the session with the program.
 */
describe('the agent’s page joins a support case by its code', () => {
  let srv: TestServer;
  let browser: Browser;
  let xvfb: Xvfb;
  let run: AgentWithPage | undefined;

  beforeAll(async () => {
    assertAgentBuilt();
    srv = await startTestServer();
    browser = await launchTechnicianBrowser();
    xvfb = await startXvfb({ width: 1280, height: 720 });
  });
  afterEach(async () => {
    expect(cspViolations(run?.cust), 'Content-Security-Policy violations on the agent page').toEqual([]);
    await run?.agent.kill();
    await run?.cust.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await xvfb?.stop();
    await srv?.close();
  });

  it('types the code, describes the problem, waits for the technician; Take case connects to the program', async () => {
    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const creds = newCaseCredentials();
    const { joinProof } = await deriveCaseKeys(creds);
    expect((await tech.call('POST', '/api/cases', { body: { id: creds.caseId, customerName: 'Karl Programm', note: '', joinProof } })).status).toBe(200);

    run = await startAgentWithPage(srv.url, browser, { env: { DISPLAY: xvfb.name }, lang: 'en' });
    const page = run.cust.page;
    await visible(page, 'have-code', 15_000);
    await page.getByTestId('have-code').click();
    await page.getByTestId('case-code-input').fill(formatCaseCode(creds).replace(/-/g, ' '));
    await page.getByTestId('use-code').click();
    await page.getByTestId('accept-terms').click();
    await page.getByTestId('case-description').fill('The program cannot print.');
    await page.getByTestId('send-description').click();
    await expect.poll(() => textOf(page, 'case-waiting-for'), { timeout: 30_000 }).toBe('Waiting for Max Mustermann.');

    const listed = async () => ((await tech.call('GET', '/api/cases')).body as { cases: SupportCase[] }).cases.find((c) => c.id === creds.caseId);
    await expect.poll(async () => (await listed())?.present, { timeout: 10_000 }).toBe(true);
    const taken = await tech.call('POST', `/api/cases/${creds.caseId}/take`, { body: {} });
    const { customerId } = taken.body as { customerId: string };
    const endpoint = await srv.technician();
    const session = await endpoint.connect(customerId, creds.secret);
    await expect.poll(() => textOf(page, 'technician-name'), { timeout: 15_000 }).toContain('Max Mustermann');
    await session.end();
    await expect.poll(async () => (await listed())?.state, { timeout: 10_000 }).toBe('done');
  });
});
