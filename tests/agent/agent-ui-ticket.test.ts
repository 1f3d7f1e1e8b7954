import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertAgentBuilt, startAgent, type AgentProcess } from './support/agent-process.js';
import { until } from './support/input-x.js';
import { rawGet } from './support/raw-get.js';

const get = (url: URL, headers: Record<string, string> = {}) => rawGet(Number(url.port), url.pathname + url.search, { host: url.host, 'sec-fetch-site': 'none', ...headers });

/**
 * The agent opens its page by starting the customer's browser with the page's address on the command
 * line, and every local user can read /proc/<pid>/cmdline. A stand-in browser ($BROWSER, a Node script
 * that stays running like a browser) lets the test read exactly what another user would read there.
 */
describe('the address the agent hands the browser is a one-time ticket, not the secret', () => {
  let srv: TestServer;
  let agent: AgentProcess;
  let dir: string;
  let opener: number | undefined;
  let cmdline: string;
  let link: URL;
  let cookie: string;
  let page: WebSocket | undefined;

  /** the page's WebSocket with these headers: its first message, or the refusal */
  const openWs = (headers: Record<string, string>) =>
    new Promise<{ ws: WebSocket; message: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://${link.host}/agent/ws`, { headers });
      ws.once('message', (d) => resolve({ ws, message: String(d) }));
      ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)));
      ws.once('error', reject);
    });

  beforeAll(async () => {
    assertAgentBuilt();
    srv = await startTestServer();
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-opener-'));
    const pidFile = path.join(dir, 'opener.pid');
    const script = path.join(dir, 'browser.mjs');
    writeFileSync(script, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 60_000);\n`);
    chmodSync(script, 0o700);
    agent = startAgent(['--server', srv.url, '--lang', 'en'], { env: { BROWSER: `${process.execPath} ${script}` } });
    expect(await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 15_000), 'the agent did not start the browser').toBe(true);
    opener = Number(readFileSync(pidFile, 'utf8'));
    cmdline = readFileSync(`/proc/${opener}/cmdline`, 'utf8').split('\0').join(' ');
    link = new URL(/http:\/\/127\.0\.0\.1:\d+\/\?t=[A-Za-z0-9_-]+/.exec(cmdline)![0]);
  });
  afterAll(async () => {
    page?.close();
    if (opener) process.kill(opener, 'SIGTERM');
    await agent?.kill();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the first use of the link sets the cookie, whose secret is nowhere on the command line', async () => {
    const r = await get(link);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const set = String(r.headers['set-cookie']);
    const [name, value] = set.split(';')[0]!.split('=') as [string, string];
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cmdline, 'the cookie’s secret on the opener’s command line').not.toContain(value);
    expect(link.searchParams.get('t')).not.toBe(value);
    expect(name).toMatch(new RegExp(`^fernhilfe_agent_${link.port}_[0-9a-f]{16}$`)); // per port and per run
    cookie = `${name}=${value}`;
    const page = await get(new URL('/', link), { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<meta name="fernhilfe-agent"');
  });

  it('the cookie opens the page’s WebSocket; the ticket never does', async () => {
    await expect(openWs({ origin: link.origin, cookie: `fernhilfe_agent_${link.port}=${link.searchParams.get('t')}` })).rejects.toThrow(/403/);
    const first = await openWs({ origin: link.origin, cookie });
    expect(JSON.parse(first.message).type).toBe('state');
    page = first.ws;
  });

  it('a second use of the link (someone raced the browser to it) gets a plain refusal page, shuts out every page and ends the session', async () => {
    const closed = new Promise<number>((resolve) => page!.once('close', (code) => resolve(code)));
    const r = await get(link);
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toContain('This link has already been used');
    expect(r.body).not.toContain('<script');
    expect(await closed).toBe(4001); // whoever held the page lost it
    expect((await get(new URL('/', link), { cookie })).status).toBe(403); // the cookie handed out opens nothing now
    expect(await agent.exited).toBe(0);
  });
});
