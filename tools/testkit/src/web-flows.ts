import type { Page } from 'playwright-core';
import { TestkitError } from './errors.js';

/**
 * The steps a person takes in the two web apps, by data-testid only (the contract in
 * docs/web-apps.md). Shared by the end-to-end tests and `npm run bench:browser`.
 */

const ID_PATTERN = /\d{3}\s?\d{3}\s?\d{3}/;

/** The visible value of an element: an input's value or an element's text, whitespace collapsed. */
export async function valueOf(page: Page, testId: string): Promise<string> {
  const text = await page
    .getByTestId(testId)
    .first()
    .evaluate((el: { value?: unknown; textContent: string | null }) => (typeof el.value === 'string' ? el.value : (el.textContent ?? '')));
  return text.replace(/\s+/g, ' ').trim();
}

export interface Credentials {
  /** as shown, e.g. "123 456 789" */
  id: string;
  password: string;
}

/** The customer opens the page, accepts the terms and reads ID and password off the screen. */
export async function customerGetsCredentials(page: Page, baseUrl: string, timeoutMs = 10_000): Promise<Credentials> {
  await page.goto(`${baseUrl}/`);
  await visible(page, 'accept-terms', 15_000);
  await page.getByTestId('accept-terms').click();
  await page.getByTestId('customer-password').waitFor({ state: 'visible', timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  let id = '';
  while (!ID_PATTERN.test(id = await valueOf(page, 'customer-id'))) {
    if (Date.now() > deadline) throw new TestkitError('page', `no customer ID on the page within ${timeoutMs} ms (customer-id shows "${id}")`);
    await page.waitForTimeout(50);
  }
  const password = await valueOf(page, 'customer-password');
  return { id: ID_PATTERN.exec(id)![0], password };
}

/** The technician signs in on /console/ and waits for the connect form. */
export async function technicianSignsIn(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await visible(page, 'login-user', 15_000);
  await page.getByTestId('login-user').fill(login);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await visible(page, 'connect-id', 15_000);
}

/** The technician types what the customer read out and clicks Connect. */
export async function technicianConnects(page: Page, creds: Credentials): Promise<void> {
  await page.getByTestId('connect-id').fill(creds.id);
  await page.getByTestId('connect-password').fill(creds.password);
  await page.getByTestId('connect-submit').click();
}

/** Waits for a data-testid element; on timeout the error says what the page showed instead. */
export async function visible(page: Page, testId: string, timeoutMs: number): Promise<void> {
  try {
    await page.getByTestId(testId).first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (err) {
    const shown = (await page.locator('body').innerText().catch(() => '(unreadable)')).replace(/\s+/g, ' ').slice(0, 400);
    throw new TestkitError('page', `${testId} did not appear within ${timeoutMs} ms on ${page.url()}; the page shows: "${shown}"`, { cause: err });
  }
}
