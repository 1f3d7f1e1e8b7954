import { deriveCaseKeys, formatCaseCode, newCaseCredentials, type SupportCase } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { visible } from '@fernhilfe/testkit';
import { textOf } from '../e2e/support/browser.js';
import { HttpSession } from '../server/http-session.js';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { agentPageRig } from './support/agent-page-rig.js';
import { startAgentWithPage } from './support/agent-page.js';

/**
 * The native program's page takes a support case's code too (docs/cases.md): typed by hand, sent to
 * the agent over its local link; the agent's flow joins the case, and Take case + the secret as the
 * password open the session with the program.
 */
describe('the agent’s page joins a support case by its code', () => {
  const rig = agentPageRig();

  it('types the code, describes the problem, waits for the technician; Take case connects to the program', async () => {
    const tech = new HttpSession(rig.srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const creds = newCaseCredentials();
    const { joinProof } = await deriveCaseKeys(creds);
    expect((await tech.call('POST', '/api/cases', { body: { id: creds.caseId, customerName: 'Karl Programm', note: '', joinProof } })).status).toBe(200);

    rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { env: { DISPLAY: rig.xvfb.name }, lang: 'en' });
    const page = rig.run.cust.page;
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
    const endpoint = await rig.srv.technician();
    const session = await endpoint.connect(customerId, creds.secret);
    await expect.poll(() => textOf(page, 'technician-name'), { timeout: 15_000 }).toContain('Max Mustermann');
    await session.end();
    await expect.poll(async () => (await listed())?.state, { timeout: 10_000 }).toBe('done');
  });
});
