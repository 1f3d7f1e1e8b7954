import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { openPage, SCREENSHOTS, textOf } from './support/browser.js';
import { customerGetsCredentials, technicianSignsIn } from './support/flows.js';
import { browserSuite } from './support/suite.js';

/**
 * Both apps speak the browser's language (German for de-*, English otherwise), and the pictures
 * in docs/screenshots come from here: customer-terms, customer-id and console-login, each in
 * English and German (-de).
 */
const LANGUAGES = [
  {
    locale: 'en-US',
    suffix: '',
    lang: 'en',
    accept: /I agree/,
    termsHeading: 'Before we start',
    idLabel: /Your ID/,
    loginSubmit: /^Sign in$/,
    connectSubmit: /^Connect$/,
  },
  {
    locale: 'de-DE',
    suffix: '-de',
    lang: 'de',
    accept: /Ich stimme zu/,
    termsHeading: 'Bevor es losgeht',
    idLabel: /Ihre ID/,
    loginSubmit: /^Anmelden$/,
    connectSubmit: /^Verbinden$/,
  },
] as const;

describe('the apps in German and English', () => {
  const suite = browserSuite();
  const { pages } = suite;

  for (const l of LANGUAGES) {
    it(`shows the customer page in ${l.lang} for a ${l.locale} browser`, async () => {
      const p = await openPage(suite.browser, `customer-${l.lang}`, { locale: l.locale, viewport: { width: 1024, height: 768 } });
      pages.push(p);
      await p.page.goto(`${suite.srv.url}/`);
      await p.page.getByTestId('accept-terms').waitFor({ state: 'visible' });
      await p.page.getByTestId('terms-text').waitFor({ state: 'visible' });
      expect(await textOf(p.page, 'accept-terms')).toMatch(l.accept);
      expect(await p.page.locator('body').innerText()).toContain(l.termsHeading);
      expect(await p.page.evaluate(() => document.documentElement.lang)).toBe(l.lang);
      await p.page.screenshot({ path: path.join(SCREENSHOTS, `customer-terms${l.suffix}.png`), fullPage: true });

      const creds = await customerGetsCredentials(p.page, suite.srv.url);
      expect(creds.id).toMatch(/^\d{3} ?\d{3} ?\d{3}$/);
      expect(creds.password.length).toBeGreaterThanOrEqual(6);
      expect(await p.page.locator('body').innerText()).toMatch(l.idLabel);
      await p.page.screenshot({ path: path.join(SCREENSHOTS, `customer-id${l.suffix}.png`), fullPage: true });
      await p.context.close();
    });

    it(`shows the console in ${l.lang} for a ${l.locale} browser`, async () => {
      const p = await openPage(suite.browser, `console-${l.lang}`, { locale: l.locale, viewport: { width: 1280, height: 800 } });
      pages.push(p);
      await p.page.goto(`${suite.srv.url}/console/`);
      await p.page.getByTestId('login-submit').waitFor({ state: 'visible' });
      expect(await textOf(p.page, 'login-submit')).toMatch(l.loginSubmit);
      expect(await p.page.evaluate(() => document.documentElement.lang)).toBe(l.lang);
      await p.page.screenshot({ path: path.join(SCREENSHOTS, `console-login${l.suffix}.png`) });

      await technicianSignsIn(p.page, suite.srv.url, TECH_LOGIN, TECH_PASSWORD);
      expect(await textOf(p.page, 'connect-submit')).toMatch(l.connectSubmit);
      await p.context.close();
    });
  }
});
