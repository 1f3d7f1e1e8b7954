import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, type WatchedPage } from './browser.js';

export interface BrowserSuite {
  /** the real server, started before the first test */
  readonly srv: TestServer;
  /** headless Chromium, launched after the server */
  readonly browser: Browser;
  /** the pages the tests open; after each test none may have had a Content-Security-Policy violation */
  readonly pages: WatchedPage[];
}

/**
 * The frame of a browser test file, registered in the calling `describe`: the apps must be built,
 * one real server and one headless Chromium serve all its tests (`setup` runs with the server before
 * the browser starts), both are closed at the end, and each test ends with no CSP violation.
 */
export function browserSuite(setup?: (srv: TestServer) => Promise<void>): BrowserSuite {
  let srv: TestServer | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];
  beforeAll(async () => {
    assertAppsBuilt();
    srv = await startTestServer();
    await setup?.(srv);
    browser = await launchTechnicianBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });
  afterEach(() => {
    expect(cspViolations(...pages), 'Content-Security-Policy violations').toEqual([]);
  });
  return {
    get srv() {
      if (!srv) throw new Error('the test server has not started');
      return srv;
    },
    get browser() {
      if (!browser) throw new Error('the browser has not started');
      return browser;
    },
    pages,
  };
}
