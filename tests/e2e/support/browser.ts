import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { vi } from 'vitest';
import { CUSTOMER_WINDOW, launchHeadless, launchOnDisplay } from '@fernhilfe/testkit';
import { ROOT } from '../../support/processes.js';

/**
 * Browsers for the end-to-end tests (Debian's Chromium through playwright-core):
 * - the technician: headless (`--headless=new`), checked to say HeadlessChrome;
 * - the customer: a normal window on the Xvfb display, 480x360 in the bottom-right corner, that
 *   shares the entire X screen when the page calls getDisplayMedia; checked NOT to say HeadlessChrome.
 * Every page's console is recorded, and Content-Security-Policy violations (the console message
 * and the `securitypolicyviolation` event) are collected so a test can fail on them.
 */
export { CUSTOMER_WINDOW };

export const launchTechnicianBrowser = (): Promise<Browser> => launchHeadless();
export const launchCustomerBrowser = (display: string): Promise<Browser> => launchOnDisplay(display);

export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** every console message and page error, "type: text" */
  log: string[];
  /** messages that report a CSP violation and were not returned by an earlier call */
  newCspViolations(): string[];
}

const CSP = /Content Security Policy|securitypolicyviolation/i;

/** A new context + page whose console is recorded. `name` prefixes the lines (for failure output). */
export async function openPage(browser: Browser, name: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  // Runs before the page's own scripts (injected over CDP, so the page's CSP does not apply to it).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`${name} ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`${name} pageerror: ${e.message}`));
  let reported = 0;
  const newCspViolations = () => {
    const fresh = log.slice(reported).filter((l) => CSP.test(l));
    reported = log.length;
    return fresh;
  };
  return { page, context, log, newCspViolations };
}

/** The CSP violations the given pages reported since the last call (for an afterEach check). */
export function cspViolations(...pages: Array<WatchedPage | undefined>): string[] {
  return pages.flatMap((p) => p?.newCspViolations() ?? []);
}

/** The test needs the built apps: the server serves apps/{quicksupport,console}/dist. */
export function assertAppsBuilt(): void {
  for (const app of ['quicksupport', 'console']) {
    const index = path.join(ROOT, 'apps', app, 'dist', 'index.html');
    if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` before the end-to-end tests`);
  }
}

/** Text content of a data-testid element, whitespace collapsed. */
export async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Polls `fn` every `intervalMs` until it returns a truthy value; returns that value and how long it
 * took. Fails after `timeoutMs`, naming `what` it waited for (a function is asked only then, so it
 * can describe what the page showed last).
 */
export async function poll<T>(fn: () => Promise<T>, timeoutMs: number, what: string | (() => string), intervalMs = 50): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await vi
    .waitFor(
      async () => {
        const v = await fn();
        if (!v) throw new Error('not yet');
        return v;
      },
      { timeout: timeoutMs, interval: intervalMs },
    )
    .catch((err: unknown) => {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`, { cause: err });
    });
  return { value, ms: performance.now() - start };
}
