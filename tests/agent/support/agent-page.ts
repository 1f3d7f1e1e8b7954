import type { Browser } from 'playwright-core';
import { openPage, type WatchedPage } from '../../e2e/support/browser.js';
import { valueOf, visible } from '@fernhilfe/testkit';
import { startAgent, type AgentProcess, type StartAgentOptions } from './agent-process.js';

/** The agent started with --no-browser and its page opened by the test in (headless) Chromium, as xdg-open would. */
export interface AgentWithPage {
  agent: AgentProcess;
  /** the address the agent printed, with the secret */
  url: string;
  cust: WatchedPage;
}

export const UI_URL = /(?:Support page|Support-Seite): (http:\/\/127\.0\.0\.1:\d+\/\?t=[A-Za-z0-9_-]{43})/;

/** `browserLocale`: the browser's own language (default: the agent's --lang) */
export async function startAgentWithPage(serverUrl: string, browser: Browser, opts: StartAgentOptions & { lang?: 'de' | 'en'; browserLocale?: string } = {}): Promise<AgentWithPage> {
  const agent = startAgent(['--server', serverUrl, '--no-browser', '--lang', opts.lang ?? 'en'], opts);
  // a start under strace -f on a busy machine took over 15 s once (CI): the page's address may take a while
  const url = (await agent.waitFor(UI_URL, opts.wrapper ? 60_000 : 30_000))[1]!;
  const locale = opts.browserLocale ?? (opts.lang === 'de' ? 'de-DE' : 'en-US');
  const cust = await openPage(browser, 'agent page', { viewport: { width: 900, height: 900 }, locale });
  await cust.page.goto(url);
  return { agent, url, cust };
}

/** Accepts the terms on the agent's page and reads ID and password off it. */
export async function acceptAndReadCredentials(cust: WatchedPage): Promise<{ id: string; password: string }> {
  await visible(cust.page, 'accept-terms', 15_000);
  await cust.page.getByTestId('accept-terms').click();
  await visible(cust.page, 'customer-password', 10_000);
  const id = (await valueOf(cust.page, 'customer-id')).replace(/\s/g, '');
  const password = await valueOf(cust.page, 'customer-password');
  return { id, password };
}
