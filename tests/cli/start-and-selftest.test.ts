import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runCli, startProcess, type Started } from '../support/processes.js';

const ADMIN_PASSWORD = 'first admin password';
const TECH_PASSWORD = 'technician password 1';

describe('npm start, the setup link, user add and selftest', () => {
  let dataDir: string;
  let server: Started;
  let url: string;
  let setupLink: string;

  beforeAll(async () => {
    buildOnce();
    dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-cli-'));
    server = startProcess('npm', ['start', '--silent'], { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', AGENT_AUTOBUILD: 'off' });
    url = (await server.waitFor(/Fernhilfe is running at (http:\/\/\S+)/))[1]!;
    setupLink = (await server.waitFor(/(http:\/\/\S+\/setup#token=\S+)/))[1]!;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('the first-start setup link creates the first admin once', async () => {
    const token = new URL(setupLink).hash.replace('#token=', '');
    const page = await fetch(`${url}/setup`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toMatch(/<script>(?!<)/); // no inline script

    const body = { token, login: 'admin', password: ADMIN_PASSWORD, displayName: 'Anna Admin', company: 'Beispiel GmbH' };
    const first = await fetch(`${url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(first.status).toBe(201);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const second = await fetch(`${url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, login: 'mallory' }) });
    expect(second.status).toBeGreaterThanOrEqual(400);
  });

  it('`fernhilfe user add` reads the password from stdin, and `fernhilfe selftest` passes against npm start', async () => {
    const add = await runCli(['user', 'add', 'max', '--role', 'technician', '--name', 'Max Mustermann', '--company', 'Beispiel GmbH'], {
      env: { DATA_DIR: dataDir },
      input: `${TECH_PASSWORD}\n`,
    });
    expect(add.stderr).toBe('');
    expect(add.stdout).toContain('user max (technician) created');
    expect(add.code).toBe(0);

    const ok = await runCli(['selftest', '--server', url, '--user', 'max'], { input: `${TECH_PASSWORD}\n` });
    expect(ok.stdout).toMatch(/^selftest ok: session set up in \d+(\.\d+)? ms/);
    expect(ok.code).toBe(0);

    const bad = await runCli(['selftest', '--server', url, '--user', 'max'], { input: 'not the password\n' });
    expect(bad.stdout).toMatch(/^selftest failed: /);
    expect(bad.code).not.toBe(0);
  });

  it('the server log holds no passwords', () => {
    const log = server.output();
    expect(log).not.toContain(TECH_PASSWORD);
    expect(log).not.toContain(ADMIN_PASSWORD);
    expect(log).toContain('customer registered'); // the log is there to search
  });
});
