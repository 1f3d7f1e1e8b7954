import { programPath } from '@fernhilfe/programs';
import { chromium, type Browser } from 'playwright-core';
import { TestkitError } from './errors.js';

/**
 * Debian's Chromium driven by Playwright (never a downloaded browser), in the two roles of a
 * support session: the technician in a headless browser, the customer in a normal (headed) one on
 * an X display, where `getDisplayMedia` captures the real screen without asking anyone.
 *
 * Playwright's launch() gives every browser a fresh temporary profile (it passes its own
 * --user-data-dir and removes it on close), so no state leaks between runs.
 */

/** Debian's /usr/bin/chromium, or $CHROMIUM_PATH; throws naming the package when it is missing. */
export const chromiumPath = (): string => programPath('chromium');

/** Keeps Chromium from reaching the internet (updates, sync, field trials) and failing slowly. */
export const QUIET_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--password-store=basic',
];

/** The name Chromium's desktop picker gives the whole screen; the auto-select switch matches it. */
export const ENTIRE_SCREEN = 'Entire screen';

export interface CustomerWindow {
  width: number;
  height: number;
  x: number;
  y: number;
}

/** Small and in the bottom-right corner of a 1920x1080 screen, so most of the screen stays visible. */
export const CUSTOMER_WINDOW: CustomerWindow = { width: 480, height: 360, x: 1420, y: 700 };

/** The technician's browser: new headless mode. Throws unless the user agent says HeadlessChrome. */
export async function launchHeadless(extraArgs: string[] = []): Promise<Browser> {
  // headless: false so Playwright adds no --headless of its own; ours picks the new headless mode
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: false, args: ['--headless=new', ...QUIET_ARGS, ...extraArgs] });
  await expectUserAgent(browser, true);
  return browser;
}

/**
 * The customer's browser: a normal window on `display` (e.g. ":7") that shares the entire screen
 * as soon as a page calls getDisplayMedia. Throws if the user agent says HeadlessChrome (then it
 * could only capture a fake device, not the X screen).
 */
export async function launchOnDisplay(display: string, opts: { window?: CustomerWindow; extraArgs?: string[] } = {}): Promise<Browser> {
  const win = opts.window ?? CUSTOMER_WINDOW;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: false,
    env: { ...process.env, DISPLAY: display },
    args: [
      ...QUIET_ARGS,
      `--auto-select-desktop-capture-source=${ENTIRE_SCREEN}`,
      '--use-fake-ui-for-media-stream',
      `--window-size=${win.width},${win.height}`,
      `--window-position=${win.x},${win.y}`,
      // a background tab or occluded window must keep capturing and encoding at full rate
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      ...(opts.extraArgs ?? []),
    ],
  });
  await expectUserAgent(browser, false);
  return browser;
}

async function expectUserAgent(browser: Browser, headless: boolean): Promise<void> {
  const page = await browser.newPage();
  const ua = String(await page.evaluate('navigator.userAgent'));
  await page.close();
  if (/HeadlessChrome/.test(ua) !== headless) {
    await browser.close();
    throw new TestkitError('chromium', `expected a ${headless ? 'headless' : 'headed'} Chromium, but its user agent is "${ua}"`);
  }
}
