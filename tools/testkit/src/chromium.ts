import { programPath } from '@fernhilfe/programs';
import { chromium, type Browser } from 'playwright-core';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestkitError } from './errors.js';
import { makeTempDir, removeDir } from './temp-dir.js';
import type { Wrap } from './xvfb.js';

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

/**
 * The technician's browser: new headless mode. Throws unless the user agent says HeadlessChrome.
 * With `wrap` Chromium runs through a wrapper (e.g. `ip netns exec NS taskset -c 1`, the bench's
 * technician machine): a small shell script in a temp dir execs it, which works because Playwright
 * talks to Chromium over inherited pipes, not over the network.
 */
export async function launchHeadless(extraArgs: string[] = [], opts: { wrap?: Wrap } = {}): Promise<Browser> {
  const script = opts.wrap ? wrapperScript(opts.wrap) : undefined;
  // headless: false so Playwright adds no --headless of its own; ours picks the new headless mode
  const browser = await chromium
    .launch({ executablePath: script?.file ?? chromiumPath(), headless: false, args: ['--headless=new', ...QUIET_ARGS, ...extraArgs] })
    .catch((err: unknown) => {
      if (script) removeDir(script.dir);
      throw err;
    });
  if (script) browser.once('disconnected', () => removeDir(script.dir));
  await expectUserAgent(browser, true);
  return browser;
}

/** An executable `chromium` script that execs Chromium through `wrap`, passing Playwright's arguments on. */
function wrapperScript(wrap: Wrap): { dir: string; file: string } {
  const dir = makeTempDir('chromium-wrap');
  const [file, args] = wrap(chromiumPath(), []);
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const script = path.join(dir, 'chromium');
  writeFileSync(script, `#!/bin/sh\nexec ${[file, ...args].map(quote).join(' ')} "$@"\n`);
  chmodSync(script, 0o755);
  return { dir, file: script };
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
