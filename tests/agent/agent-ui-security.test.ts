import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { expectNothingFor } from '../support/quiet.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertAgentBuilt, startAgent, type AgentProcess } from './support/agent-process.js';
import { UI_URL } from './support/agent-page.js';
import { rawGet } from './support/raw-get.js';

/** A raw request to the agent's port, with any Host/Origin/Cookie a hostile page could send. */
const get = rawGet;

/** Opens the local WebSocket; resolves with the first message, or rejects with the refusal. */
function openWs(port: number, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/agent/ws`, { headers });
    ws.once('message', (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/**
 * The agent's local UI server as an attacker on the same machine (or a web page in the customer's
 * browser, or a DNS-rebinding site) would meet it: only the holder of the secret in the printed
 * URL gets anything, and only under the exact host and origin of the agent.
 */
describe('the agent’s local UI server lets only its own page in', () => {
  let srv: TestServer;
  let agent: AgentProcess;
  let port: number;
  let token: string;
  let cookie: string;

  beforeAll(async () => {
    assertAgentBuilt();
    srv = await startTestServer();
    agent = startAgent(['--server', srv.url, '--no-browser', '--lang', 'en']);
    const url = new URL((await agent.waitFor(UI_URL))[1]!);
    port = Number(url.port);
    token = url.searchParams.get('t')!;
  });
  afterAll(async () => {
    await agent?.kill();
    await srv?.close();
  });

  it('the printed URL carries a 256-bit one-time ticket and the server listens on 127.0.0.1 only', () => {
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(agent.stdout()).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('without the secret: 403 for the page, the assets, the branding and a wrong secret', async () => {
    for (const path of ['/', '/index.html', '/api/branding', '/favicon.svg', `/?t=${'A'.repeat(43)}`, `/?t=${token.slice(0, 42)}`]) {
      const r = await get(port, path);
      expect(r.status, path).toBe(403);
      expect(r.body).not.toContain('<script');
    }
  });

  it('the first load exchanges the URL’s one-time ticket for an HttpOnly SameSite=Strict cookie and clears the address bar', async () => {
    const r = await get(port, `/?t=${token}`, { 'sec-fetch-site': 'none' });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(new RegExp(`^fernhilfe_agent_${port}_[0-9a-f]{16}=[A-Za-z0-9_-]{43};`));
    expect(set).not.toContain(token); // the URL's one-time ticket is not the cookie's secret
    cookie = set.split(';')[0]!;
    const page = await get(port, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<meta name="fernhilfe-agent"');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body, 'no inline script').not.toMatch(/<script>(?!<)/);
  });

  it('refuses a DNS-rebinding host, a foreign origin and a cross-site request even with the cookie', async () => {
    expect((await get(port, '/', { cookie, host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(port, '/', { cookie, host: `localhost:${port}` })).status).toBe(403);
    expect((await get(port, '/api/branding', { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(port, '/api/branding', { cookie, origin: `http://localhost:${port}` })).status).toBe(403);
    expect((await get(port, '/api/branding', { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(port, '/api/branding', { cookie, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await get(port, '/api/branding', { cookie, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('the WebSocket needs the cookie and the agent’s own origin', async () => {
    const origin = `http://127.0.0.1:${port}`;
    await expect(openWs(port, { origin })).rejects.toThrow(/403/);
    await expect(openWs(port, { cookie })).rejects.toThrow(/403/);
    await expect(openWs(port, { cookie, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openWs(port, { cookie, origin, host: `evil.example:${port}` })).rejects.toThrow(/403/);
    const first = JSON.parse(await openWs(port, { cookie, origin })) as { type: string; state: { phase: string } };
    expect(first.type).toBe('state');
    expect(['loading', 'terms']).toContain(first.state.phase);
  });

  it('ignores malformed messages from the page and keeps running', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/agent/ws`, { headers: { cookie, origin: `http://127.0.0.1:${port}` } });
    await new Promise((r) => ws.once('message', r));
    for (const junk of ['nonsense', '{}', '{"type":"accept-terms","version":"x","language":"fr"}', '{"type":"consent","what":"root","decision":"allow"}', JSON.stringify({ type: 'chat', text: 'x'.repeat(5000) })]) ws.send(junk);
    await expectNothingFor(300, 'the agent keeps running after malformed messages', () => expect(agent.child.exitCode).toBeNull());
    ws.close();
    expect(agent.child.exitCode).toBeNull();
    expect(agent.stdout()).not.toMatch(/ID:/);
  });
});
