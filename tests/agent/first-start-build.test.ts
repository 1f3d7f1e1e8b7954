import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminProgramsReplySchema, agentInfoSchema, type AgentInfo } from '@fernhilfe/protocol';
import { freePort } from '@fernhilfe/testkit';
import { assertAppsBuilt, launchTechnicianBrowser, openPage, SCREENSHOTS } from '../e2e/support/browser.js';
import { technicianSignsIn } from '../e2e/support/flows.js';
import { HttpSession } from '../server/http-session.js';
import { buildOnce, CLI, runCli, startProcess, type Started } from '../support/processes.js';
import { startTestServer } from '../support/server.js';

const ADMIN = { login: 'chefin', password: 'a long admin password' };
/** a build takes ~40 s per platform on a quiet machine, several times that on a loaded one */
const BUILD_WAIT_MS = 600_000;

/**
 * The first start of a fresh server with no agent configuration (docs/agent-build.md, "First
 * start"): it builds and signs the QuickSupport programs itself, in the background, and offers them
 * without a restart; `fernhilfe verify` accepts them with the key it printed; Settings shows them;
 * a restart reuses them; an operator's configuration or AGENT_AUTOBUILD=off suppresses it all.
 * One server start builds; the other cases reuse that build or build nothing.
 */
describe('the first start builds and signs the QuickSupport programs', () => {
  let dataDir: string;
  let work: string;
  let port: number;
  let url: string;
  let server: Started;
  let printedKey: string;

  const start = () => startProcess({ file: process.execPath }, [CLI, 'start'], { PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: url, LOG_LEVEL: 'info', PASSWORD_COST: '12' });
  const info = async (): Promise<AgentInfo> => agentInfoSchema.parse(await (await fetch(`${url}/api/agent/info`)).json());
  const offered = async (platform: string) => (await info()).downloads.find((d) => d.platform === platform);
  const download = async (from: string, to: string) => {
    const res = await fetch(`${url}${from}`);
    expect(res.status).toBe(200);
    writeFileSync(to, Buffer.from(await res.arrayBuffer()));
  };
  /** waits until the page offers `platform`'s program, then downloads it and its .sig as a customer would */
  const downloaded = async (platform: string) => {
    await expect.poll(() => offered(platform), { timeout: BUILD_WAIT_MS, interval: 2000 }).toBeDefined();
    const build = (await offered(platform))!;
    const file = path.join(work, build.fileName);
    await download(build.downloadUrl, file);
    await download(build.signatureUrl, `${file}.sig`);
    return { build, file };
  };

  beforeAll(async () => {
    for (const name of ['AGENT_DIR', 'AGENT_PUBLIC_KEY', 'FERNHILFE_SIGNING_KEY', 'AGENT_AUTOBUILD']) expect(process.env[name], `${name} must not be set for this test`).toBeUndefined();
    buildOnce();
    assertAppsBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-first-start-'));
    work = mkdtempSync(path.join(tmpdir(), 'fernhilfe-first-start-dl-'));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = start();
    printedKey = (await server.waitFor(/customers check a download with its public key:\s+([A-Za-z0-9+/]{43}=)/))[1]!;
    const add = await runCli(['user', 'add', ADMIN.login, '--role', 'admin', '--name', 'Chefin'], { env: { DATA_DIR: dataDir }, input: `${ADMIN.password}\n` });
    expect(add.code, add.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers at once, with its new signing key in DATA_DIR (mode 600) and its public key published', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const key = path.join(dataDir, 'agent-signing-key.pem');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect((await info()).publicKey).toBe(printedKey);
    expect(server.output()).toContain(`public key ${printedKey}`);
  });

  it('offers the Linux program within the wait, and `fernhilfe verify` accepts it with the printed key', async () => {
    const { build: linux, file } = await downloaded('linux-x64');
    expect(readdirNames(dataDir, 'agent-programs')).not.toContain('.staging-linux-x64'); // nothing half-built left under a final name
    const byKey = await runCli(['verify', file, '--key', printedKey]);
    expect(byKey.stdout).toContain(`OK: ${linux.fileName} is exactly the file signed with the key ${linux.keyId}`);
    expect(byKey.code).toBe(0);
    const byServer = await runCli(['verify', file, '--server', url]);
    expect(byServer.code, byServer.stdout).toBe(0);
    expect(server.output()).toMatch(/QuickSupport program for linux-x64 built, signed and verified: offered for download/);
  }, BUILD_WAIT_MS + 60_000);

  it("offers the Windows program too: Ed25519-signed, and Authenticode-signed with the server's own certificate", async () => {
    const { file } = await downloaded('win-x64');
    const ca = path.join(dataDir, 'agent-programs', 'authenticode-ca.pem');
    const checked = await runCli(['verify', file, '--key', printedKey, '--ca', ca]);
    expect(checked.stdout).toContain('Checks: Ed25519 signature (fernhilfe-quicksupport.exe.sig) OK; Authenticode signature OK.');
    expect(checked.code).toBe(0);
    // with --server, against the CA the server publishes (it made it itself)
    const byServer = await runCli(['verify', file, '--server', url]);
    expect(byServer.stdout).toContain(`against the CA ${url} publishes for it`);
    expect(byServer.stdout).toContain('Authenticode signature OK.');
    expect(byServer.code).toBe(0);
    // against the CAs this system trusts, as on a customer's Windows: not a known publisher
    const untrusted = await runCli(['verify', file, '--key', printedKey]);
    expect(untrusted.stdout).toContain('Authenticode signature FAILED');
  }, BUILD_WAIT_MS + 60_000);

  it('shows the builds, their hashes and the signer in Settings (Chromium)', async () => {
    const admin = new HttpSession(url);
    expect((await admin.login(ADMIN.login, ADMIN.password)).status).toBe(200);
    const status = adminProgramsReplySchema.parse((await admin.call('GET', '/api/admin/programs')).body);
    expect(status).toMatchObject({ mode: 'auto', publicKey: printedKey });
    expect(status.builds.map((b) => [b.platform, b.state, b.offered, b.serverUrl])).toEqual([['win-x64', 'ready', true, url], ['linux-x64', 'ready', true, url]]);
    const linux = (await offered('linux-x64'))!;

    let browser: Browser | undefined;
    try {
      browser = await launchTechnicianBrowser();
      const { page } = await openPage(browser, 'programs', { locale: 'en-US', viewport: { width: 1280, height: 900 } });
      await technicianSignsIn(page, url, ADMIN.login, ADMIN.password);
      await page.getByTestId('nav-settings').click();
      const section = page.getByTestId('programs-section');
      await section.waitFor();
      await page.getByTestId('program-linux-x64-state').getByText('Ready: offered on the QuickSupport page').waitFor();
      await page.getByTestId('program-win-x64-state').getByText('Ready: offered on the QuickSupport page').waitFor();
      expect(await page.getByTestId('programs-public-key').innerText()).toBe(printedKey);
      expect(await page.getByTestId('program-linux-x64-sha256').innerText()).toBe(linux.sha256);
      expect(await page.getByTestId('program-win-x64-windows').innerText()).toContain('Unknown publisher');
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: path.join(SCREENSHOTS, 'admin-programs.png') });
    } finally {
      await browser?.close();
    }
  }, 120_000);

  it('a restart reuses the builds instead of building again', async () => {
    const before = await info();
    await server.stop();
    server = start();
    await server.waitFor(/QuickSupport program for win-x64: the build from an earlier start is current; reused/, 120_000);
    await server.waitFor(/QuickSupport program for linux-x64: the build from an earlier start is current; reused/, 120_000);
    expect(server.output()).not.toContain('building the QuickSupport program');
    const after = await info();
    expect(after.publicKey).toBe(printedKey);
    expect(after.downloads.map((d) => [d.platform, d.sha256, d.built])).toEqual(before.downloads.map((d) => [d.platform, d.sha256, d.built]));
  }, 180_000);
});

describe('nothing is built when the operator configured their own, or AGENT_AUTOBUILD=off', () => {
  it.each([
    ['AGENT_PUBLIC_KEY', (dir: string) => ({ AGENT_PUBLIC_KEY: 'w/S3Bc5NFShSRSubbRIQCwrjCK1VaXRvT8zNzM7586A=', AGENT_DIR: path.join(dir, 'none') }), 'operator'],
    ['AGENT_DIR', (dir: string) => ({ AGENT_DIR: path.join(dir, 'none') }), 'operator'],
    ['AGENT_AUTOBUILD=off', () => ({}), 'off'],
  ] as const)('%s', async (_name, env, mode) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-first-start-none-'));
    const srv = await startTestServer({ DATA_DIR: dataDir, AGENT_AUTOBUILD: mode === 'off' ? 'off' : 'on', ...env(dataDir) });
    try {
      await srv.accounts.createUser({ login: ADMIN.login, password: ADMIN.password, role: 'admin', displayName: 'Chefin', company: '' });
      const admin = new HttpSession(srv.url);
      expect((await admin.login(ADMIN.login, ADMIN.password)).status).toBe(200);
      const status = adminProgramsReplySchema.parse((await admin.call('GET', '/api/admin/programs')).body);
      expect(status.mode).toBe(mode);
      expect(status.builds.every((b) => b.state === 'operator' && !b.offered)).toBe(true);
      await srv.programs.settled();
      expect(existsSync(path.join(dataDir, 'agent-signing-key.pem'))).toBe(false);
      expect((await fetch(`${srv.url}/download/authenticode-ca.pem`)).status).toBe(404);
      expect(existsSync(path.join(dataDir, 'agent-programs'))).toBe(false);
      expect(srv.logText()).not.toContain('building the QuickSupport program');
      expect(srv.logText()).toMatch(mode === 'off' ? /AGENT_AUTOBUILD=off/ : /nothing is built automatically/);
    } finally {
      await srv.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function readdirNames(...parts: string[]): string[] {
  const dir = path.join(...parts);
  return existsSync(dir) ? readdirSync(dir) : [];
}
