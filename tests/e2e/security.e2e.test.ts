import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeFrame, FrameDecoder, FrameKind } from '@fernhilfe/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { openPage, textOf, type WatchedPage } from './support/browser.js';
import { customerGetsCredentials, technicianConnects, technicianSignsIn } from './support/flows.js';
import { http, signIn } from './support/http.js';
import { browserSuite } from './support/suite.js';

/**
 * What an attacker could try through the two web apps: HTML in every text that comes from
 * outside, registering without the terms, and requests from another site.
 */
const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const EVIL_NAME = `Eve ${IMG}`;
const EVIL_COMPANY = `Evil ${SCRIPT}`;
const EVIL_BRAND = `Brand ${IMG}${SCRIPT}`;
const EVE = { login: 'eve', password: 'eve has a long password 1' };
const ADMIN = { login: 'chef', password: 'the admin has a long password' };

/** Nothing injected ran or was parsed into elements, and each payload is there as plain text. */
async function expectInert(page: Page, who: string, literals: string[]): Promise<void> {
  const dom = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: unknown }).__xss,
    imgX: document.querySelectorAll('img[src="x"]').length,
    onerror: document.querySelectorAll('[onerror]').length,
    injectedScripts: Array.from(document.querySelectorAll('script')).filter((s) => (s.textContent ?? '').includes('__xss')).length,
    text: document.body.innerText,
  }));
  expect(dom.xss, `${who}: window.__xss`).toBeUndefined();
  expect(dom.imgX, `${who}: img[src=x] elements`).toBe(0);
  expect(dom.onerror, `${who}: elements with an onerror attribute`).toBe(0);
  expect(dom.injectedScripts, `${who}: injected script elements`).toBe(0);
  for (const literal of literals) expect(dom.text, `${who} shows the text literally`).toContain(literal);
}

describe('web security, end to end', () => {
  const suite = browserSuite(async (srv) => {
    await srv.accounts.createUser({ login: EVE.login, password: EVE.password, role: 'technician', displayName: EVIL_NAME, company: EVIL_COMPANY });
    await srv.accounts.createUser({ login: ADMIN.login, password: ADMIN.password, role: 'admin', displayName: 'Chefin', company: 'Beispiel GmbH' });
  });
  const { pages } = suite;
  let brandingVia = '';

  async function page(name: string, locale = 'en-US'): Promise<WatchedPage> {
    const p = await openPage(suite.browser, name, { locale, viewport: { width: 1280, height: 900 } });
    pages.push(p);
    return p;
  }

  it('sets the branding through the admin API (admin session + CSRF token)', async () => {
    const admin = await signIn(suite.srv.url, ADMIN.login, ADMIN.password);
    const body = { companyName: EVIL_BRAND, supportPhone: '+49 30 123456', primaryColor: '#0b5cad', accentColor: '#f0a500', website: '' };
    const noCsrf = await http(`${suite.srv.url}/api/admin/branding`, { method: 'PUT', body, headers: { cookie: admin.cookie } });
    expect(noCsrf.status, noCsrf.text).toBe(403);
    const put = await http(`${suite.srv.url}/api/admin/branding`, { method: 'PUT', body, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken } });
    expect(put.status, put.text).toBe(200);
    brandingVia = 'PUT /api/admin/branding';
    const got = await http(`${suite.srv.url}/api/branding`);
    expect(got.body).toMatchObject({ companyName: EVIL_BRAND });
  });

  it('renders HTML in chat, technician name, company and branding as inert text on both sides', async () => {
    expect(brandingVia, 'the branding test before this one set the company name').not.toBe('');
    const cust = await page('customer');
    const tech = await page('technician');
    const creds = await customerGetsCredentials(cust.page, suite.srv.url);
    await expect.poll(() => cust.page.locator('body').innerText()).toContain(EVIL_BRAND);
    await technicianSignsIn(tech.page, suite.srv.url, EVE.login, EVE.password);
    await technicianConnects(tech.page, creds);
    await cust.page.getByTestId('technician-name').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await textOf(cust.page, 'technician-name')).toContain(EVIL_NAME);

    for (const payload of [IMG, SCRIPT]) {
      await cust.page.getByTestId('chat-input').fill(`from customer ${payload}`);
      await cust.page.getByTestId('chat-send').click();
      await tech.page.getByTestId('chat-input').fill(`from technician ${payload}`);
      await tech.page.getByTestId('chat-send').click();
    }
    const all = [IMG, SCRIPT].flatMap((p) => [`from customer ${p}`, `from technician ${p}`]);
    for (const side of [cust, tech]) {
      await expect.poll(() => side.page.getByTestId('chat-log').innerText(), { timeout: 3_000 }).toContain(`from ${side === cust ? 'technician' : 'customer'} ${SCRIPT}`);
    }
    await expectInert(cust.page, 'customer page', [...all, EVIL_NAME, EVIL_BRAND]);
    await expectInert(tech.page, 'console', all);
    await cust.page.getByTestId('end-session').click();
  });

  it('refuses a registration with terms that are not the current ones: an error, never an ID', async () => {
    const ws = new WebSocket(`${suite.srv.url.replace(/^http/, 'ws')}/ws/customer`);
    ws.binaryType = 'nodebuffer';
    const decoder = new FrameDecoder();
    const received: Array<{ type: string; code?: string }> = [];
    ws.on('message', (data: Buffer) => {
      for (const f of decoder.push(new Uint8Array(data))) if (f.kind === FrameKind.control) received.push(JSON.parse(new TextDecoder().decode(f.body)) as { type: string });
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const register = { type: 'register', termsVersion: 'f'.repeat(64), language: 'en', capabilities: ['screen', 'chat'] };
    ws.send(encodeFrame(FrameKind.control, new TextEncoder().encode(JSON.stringify(register))));
    await vi.waitFor(() => expect(received.map((m) => m.code)).toContain('terms-outdated'), { timeout: 5_000 });
    ws.close();
    await closed;
    expect(received).toContainEqual(expect.objectContaining({ type: 'error', code: 'terms-outdated' }));
    expect(received.map((m) => m.type)).not.toContain('registered');
    expect(suite.srv.broker.liveRegistrations).toBe(0);

    // the same raw client with the current terms is registered: the refusal above was about the terms
    const ok = new WebSocket(`${suite.srv.url.replace(/^http/, 'ws')}/ws/customer`);
    const okDecoder = new FrameDecoder();
    const registered = new Promise<{ type: string }>((resolve) =>
      ok.on('message', (data: Buffer) => {
        for (const f of okDecoder.push(new Uint8Array(data))) resolve(JSON.parse(new TextDecoder().decode(f.body)) as { type: string });
      }),
    );
    await new Promise<void>((resolve, reject) => (ok.once('open', resolve), ok.once('error', reject)));
    ok.send(encodeFrame(FrameKind.control, new TextEncoder().encode(JSON.stringify({ ...register, termsVersion: suite.srv.terms().version }))));
    expect(await registered).toMatchObject({ type: 'registered' });
    ok.close();
  });

  it('refuses sign-in from a foreign Origin and state changes without the CSRF token', async () => {
    const foreign = await http(`${suite.srv.url}/api/auth/login`, { method: 'POST', body: { login: TECH_LOGIN, password: TECH_PASSWORD }, headers: { origin: 'https://evil.example' } });
    expect(foreign.status, foreign.text).toBe(403);
    expect(foreign.headers['set-cookie']).toBeUndefined();

    const session = await signIn(suite.srv.url, TECH_LOGIN, TECH_PASSWORD);
    const noToken = await http(`${suite.srv.url}/api/auth/ws-ticket`, { method: 'POST', body: {}, headers: { cookie: session.cookie } });
    expect(noToken.status, noToken.text).toBe(403);
    const withToken = await http(`${suite.srv.url}/api/auth/ws-ticket`, { method: 'POST', body: {}, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
    expect(withToken.status, withToken.text).toBe(200);
  });

  it('lets the console’s own calls through, and a form posted from another site cannot sign the technician out', async () => {
    const tech = await page('technician-csrf');
    await technicianSignsIn(tech.page, suite.srv.url, TECH_LOGIN, TECH_PASSWORD);
    // the console's own state-changing call (a WebSocket ticket, with its CSRF token) works
    const ticket = tech.page.waitForResponse((r) => r.url().endsWith('/api/auth/ws-ticket'));
    await technicianConnects(tech.page, { id: '123 456 789', password: 'nobody-has-this' });
    expect((await ticket).status()).toBe(200);
    await tech.page.getByTestId('connect-error').waitFor({ state: 'visible', timeout: 5_000 });

    // another origin (localhost instead of 127.0.0.1) with an ordinary form aimed at the API
    const evil = await evilSite(`${suite.srv.url}/api/auth/logout`);
    try {
      const attack = await tech.context.newPage();
      await attack.goto(evil.url);
      const response = attack.waitForResponse((r) => r.url().startsWith(suite.srv.url));
      await attack.click('#go');
      const status = (await response).status();
      expect([401, 403], `status of the cross-site logout: ${status}`).toContain(status);
      await attack.close();
    } finally {
      evil.server.close();
    }
    // still signed in: a reload of the console goes straight to the connect form
    await tech.page.reload();
    await tech.page.getByTestId('connect-id').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await tech.page.getByTestId('login-user').count()).toBe(0);
  });
});

/** A page on another origin with a plain HTML form that POSTs to `target`. */
async function evilSite(target: string): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><form method="POST" action="${target}" enctype="text/plain"><input name="a" value="b"><button id="go">win a prize</button></form>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}
