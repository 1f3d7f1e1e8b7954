import type { SecureSession } from '@fernhilfe/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LogicalChannel, encodeInputEvent, type ControlMessage, type InputEvent } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { expectNothingFor } from '../support/quiet.js';
import { textOf } from '../e2e/support/browser.js';
import { visible } from '@fernhilfe/testkit';
import { agentPageRig } from './support/agent-page-rig.js';
import { acceptAndReadCredentials, startAgentWithPage, type AgentWithPage } from './support/agent-page.js';
import { startTypingWindow } from './support/agent-xterm.js';

const acceptAndReadPassword = (r: AgentWithPage) => textOf(r.cust.page, 'customer-password');

/** The key events a browser would send for `text` (letters, digits, space, Enter). */
function keysFor(text: string): InputEvent[] {
  const code = (c: string) => (c === ' ' ? 'Space' : c === '\n' ? 'Enter' : /\d/.test(c) ? `Digit${c}` : `Key${c.toUpperCase()}`);
  const key = (c: string) => (c === '\n' ? 'Enter' : c);
  return [...text].flatMap((c) => [true, false].map((down) => ({ type: 'key', down, code: code(c), key: key(c) }) as const));
}

/**
 * The agent's face: the QuickSupport page served by the real agent on 127.0.0.1, in Chromium.
 * The technician here is the client library (a real TechnicianEndpoint through the real server),
 * so that the page's prompts are tested on their own; agent-session.test.ts does it with the console.
 */
describe('the agent’s page: terms, ID + password, consent prompts, chat, end', () => {
  const rig = agentPageRig();

  const waitFor = async (got: ControlMessage[], type: ControlMessage['type']) => {
    await expect.poll(() => got.some((m) => m.type === type), { timeout: 5_000 }).toBe(true);
  };

  it('asks for control with big Allow / Refuse buttons; Allow grants, Take back control revokes; chat both ways; End ends', async () => {
    rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { env: { DISPLAY: rig.xvfb.name } });
    const page = rig.run.cust.page;
    // terms first: nothing registered, no ID on the page
    await visible(page, 'terms-text', 15_000);
    expect(await page.getByTestId('customer-id').count()).toBe(0);
    expect(await page.getByTestId('share-screen').count()).toBe(0);
    const { id, password } = await acceptAndReadCredentials(rig.run.cust);
    expect(id).toMatch(/^[1-9]\d{8}$/);

    const session: SecureSession = await (await rig.srv.technician()).connect(id, password);
    const got: ControlMessage[] = [];
    session.on('control', (m) => got.push(m));
    await visible(page, 'technician-name', 5_000);
    expect(await textOf(page, 'technician-name')).toContain('Max Mustermann');
    await expect.poll(async () => (await textOf(page, 'sas')).replace(/\D/g, ''), { timeout: 5_000 }).toBe(session.sas.replace(/\D/g, ''));
    // the agent shares the screen itself: no browser share button in agent mode, a notice instead
    expect(await page.getByTestId('share-screen').count()).toBe(0);
    await visible(page, 'agent-screen-shared', 5_000);

    await session.sendControl({ type: 'control-request' });
    await visible(page, 'consent-control', 5_000);
    expect(await textOf(page, 'consent-control')).toMatch(/control this computer/i);
    await page.getByTestId('allow-control').click();
    await waitFor(got, 'control-granted');
    await visible(page, 'revoke-control', 5_000);
    expect(await page.getByTestId('consent-control').count(), 'the prompt is gone once answered').toBe(0);

    await page.getByTestId('revoke-control').click();
    await waitFor(got, 'control-revoked');
    await expect.poll(() => page.getByTestId('revoke-control').count(), { timeout: 5_000 }).toBe(0);

    await session.sendControl({ type: 'chat', text: 'Guten Tag <b>fett</b>' });
    await expect.poll(() => page.getByTestId('chat-log').locator('[data-from="technician"]').allTextContents(), { timeout: 5_000 }).toContainEqual(expect.stringContaining('Guten Tag <b>fett</b>'));
    await page.getByTestId('chat-input').fill('Danke!');
    await page.getByTestId('chat-send').click();
    await expect.poll(() => got.some((m) => m.type === 'chat' && m.text === 'Danke!'), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('chat-log').locator('[data-from="customer"]').allTextContents(), { timeout: 5_000 }).toContainEqual(expect.stringContaining('Danke!'));

    const ended = session.once('ended');
    await page.getByTestId('end-session').click();
    expect((await ended).reason).toBe('ended-by-customer');
    await visible(page, 'summary', 5_000);
    expect(await rig.run.agent.exited).toBe(0);
    await visible(page, 'agent-closed', 5_000);
    expect(await textOf(page, 'summary-chat')).toBe('2');
    expect(await textOf(page, 'summary-screen')).toBe('Yes');
  });

  it('with control allowed the technician’s keys arrive in an X window; after Take back control they do not', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-page-'));
    const xterm = await startTypingWindow(rig.xvfb.name, path.join(dir, 'typed.txt'), { x: 100, y: 100 });
    try {
      rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { env: { DISPLAY: rig.xvfb.name } });
      const { id, password } = await acceptAndReadCredentials(rig.run.cust);
      const session = await (await rig.srv.technician()).connect(id, password);
      const got: ControlMessage[] = [];
      session.on('control', (m) => got.push(m));
      const send = async (events: InputEvent[]) => {
        for (const e of events) await session.sendData(LogicalChannel.input, encodeInputEvent(e));
      };
      const clickIntoXterm = () =>
        send([
          { type: 'pointer-move', x: 200, y: 130 },
          { type: 'pointer-button', button: 0, down: true, x: 200, y: 130 },
          { type: 'pointer-button', button: 0, down: false, x: 200, y: 130 },
        ]);

      // view-only at first: nothing arrives
      await send(keysFor('vorher\n'));
      await session.sendControl({ type: 'control-request' });
      await visible(rig.run.cust.page, 'allow-control', 5_000);
      await rig.run.cust.page.getByTestId('allow-control').click();
      await waitFor(got, 'control-granted');
      await clickIntoXterm();
      await send(keysFor('hallo 123\n'));
      await expect.poll(() => xterm.typed(), { timeout: 5_000 }).toBe('hallo 123\n');

      await rig.run.cust.page.getByTestId('revoke-control').click();
      await waitFor(got, 'control-revoked');
      await clickIntoXterm();
      await send(keysFor('danach\n'));
      await expectNothingFor(1_000, 'keys before the grant and after Take back control have no effect', () => expect(xterm.typed()).toBe('hallo 123\n'));
      await session.end();
      expect(await rig.run.agent.exited).toBe(0);
    } finally {
      xterm.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reload keeps the session; a closed page ends it after the grace period, and the pair is dead', async () => {
    rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { env: { DISPLAY: rig.xvfb.name, FERNHILFE_AGENT_PAGE_GRACE_MS: '1500' } });
    const { id, password } = await acceptAndReadCredentials(rig.run.cust);
    await rig.run.cust.page.reload();
    await visible(rig.run.cust.page, 'customer-password', 5_000);
    expect((await acceptAndReadPassword(rig.run)).replace(/\s/g, '')).toBe(password);
    await expectNothingFor(2_000, 'the agent keeps running after a reload, past the 1.5 s grace period', () => expect(rig.run!.agent.child.exitCode, 'still running after a reload').toBeNull());
    await rig.run.cust.page.close();
    expect(await rig.run.agent.exited).toBe(0);
    expect(rig.run.agent.stderr()).toMatch(/the support page was closed/);
    await expect((await rig.srv.technician()).connect(id, password)).rejects.toThrow();
  });

  it('Refuse says no to the technician and grants nothing', async () => {
    rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { lang: 'de', env: { DISPLAY: rig.xvfb.name } });
    const { id, password } = await acceptAndReadCredentials(rig.run.cust);
    const session = await (await rig.srv.technician()).connect(id, password);
    const got: ControlMessage[] = [];
    session.on('control', (m) => got.push(m));
    await session.sendControl({ type: 'control-request' });
    await visible(rig.run.cust.page, 'refuse-control', 5_000);
    await rig.run.cust.page.getByTestId('refuse-control').click();
    await waitFor(got, 'control-refused');
    expect(got.some((m) => m.type === 'control-granted')).toBe(false);
    expect(await rig.run.cust.page.getByTestId('revoke-control').count()).toBe(0);
    await session.end();
    await visible(rig.run.cust.page, 'summary', 5_000);
    expect(await rig.run.agent.exited).toBe(0);
  });

  it('speaks the agent’s language (--lang de), not the browser’s (en-US)', async () => {
    rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { lang: 'de', browserLocale: 'en-US', env: { DISPLAY: rig.xvfb.name } });
    await visible(rig.run.cust.page, 'accept-terms', 15_000);
    expect(await rig.run.cust.page.getByTestId('accept-terms').textContent()).toContain('Ich stimme zu');
    expect(await rig.run.cust.page.evaluate(() => [navigator.language, document.documentElement.lang])).toEqual(['en-US', 'de']);
  });
});
