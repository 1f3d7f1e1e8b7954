import { execProgram, execProgramSync } from '@fernhilfe/programs';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { startWine, technicianConnects, technicianSignsIn, visible, type Credentials, type WineDesktop, type WineProcess } from '@fernhilfe/testkit';
import { acceptAndReadCredentials } from '../../agent/support/agent-page.js';
import { builtWindowsAgent } from '../../agent/build-windows-fixture.js';
import { assertAppsBuilt, launchTechnicianBrowser, openPage, type WatchedPage } from '../../e2e/support/browser.js';
import { ROOT } from '../../support/processes.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../../support/server.js';

/** The agent's page address as the program opens it (docs/agent.md, "The local page"). */
export const PAGE_URL = /^http:\/\/127\.0\.0\.1:\d+\/\?t=[A-Za-z0-9_-]{43}$/;

/**
 * The QuickSupport program for Windows as the tests run it: the agent's one-file bundle
 * (`npm run build:agent -- --bundle-only`) with the pinned Windows Node of `startWine()`.
 */
export function buildBundle(outDir: string): string {
  execProgramSync({ file: process.execPath }, [path.join(ROOT, 'scripts/build-agent.mjs'), '--bundle-only', '--unsigned', '--out', outDir], { cwd: ROOT, stdio: 'pipe' });
  return path.join(outDir, 'fernhilfe-quicksupport.cjs');
}

/**
 * How a test runs the program: `'exe'` is what the customer runs, the signed
 * fernhilfe-quicksupport.exe of `npm run build:agent -- --platform win-x64` (built once per set of
 * sources, tests/agent/build-windows-fixture.ts), which unpacks koffi.node and the encoder into its
 * session folder and logs to agent.log there; `'bundle'` is the agent's bundle with the pinned
 * Windows Node (koffi from FERNHILFE_KOFFI_NATIVE, the log on stderr), quicker to make.
 */
export type ProgramForm = 'exe' | 'bundle';

export function startQuickSupport(wine: WineDesktop, form: ProgramForm, file: string, args: string[], env: Record<string, string> = {}): WineProcess {
  const opts = { env: { FERNHILFE_AGENT_LOG: 'info', ...env }, name: 'quicksupport' };
  return form === 'exe' ? wine.start(file, args, opts) : wine.node(file, args, opts);
}

/** The session folders (`%TEMP%\\fernhilfe-qs-*`) of programs in `wine`'s prefix, as Linux paths. */
export function sessionFolders(wine: WineDesktop): string[] {
  const users = path.join(wine.driveC, 'users');
  const out: string[] = [];
  for (const user of existsSync(users) ? readdirSync(users) : []) {
    // %TEMP%: wine's prefix sets C:\users\<user>\Temp; Windows' own default is AppData\Local\Temp
    for (const temp of [path.join(users, user, 'Temp'), path.join(users, user, 'AppData', 'Local', 'Temp')]) {
      if (existsSync(temp)) out.push(...readdirSync(temp).filter((n) => n.startsWith('fernhilfe-qs-')).map((n) => path.join(temp, n)));
    }
  }
  return out;
}

/**
 * What the program said: stdout/stderr (the bundle's log) and, for the .exe, a GUI program with no
 * console, the agent.log of every session folder that still exists. For failure messages.
 */
export function programOutput(wine: WineDesktop, program: WineProcess | undefined): string {
  const logs = sessionFolders(wine).map((f) => path.join(f, 'agent.log')).filter((f) => existsSync(f));
  return JSON.stringify({ ...program?.output(), agentLog: logs.map((f) => readFileSync(f, 'utf8').slice(-4000)) });
}

/** The addresses the Windows shell asked the "default browser" to open, in order. */
export interface RecordingBrowser {
  urls(): string[];
}

/**
 * Makes a Linux script the wine prefix's web browser: ShellExecuteW(…, "open", "http://…") runs
 * winebrowser, which starts the commands named in HKCU\Software\Wine\WineBrowser "Browsers" with
 * the address. The script only writes the address down; the test opens it in Chromium, so the
 * whole path from the program to a browser is the real one.
 */
export async function recordingBrowser(wine: WineDesktop, dir: string): Promise<RecordingBrowser> {
  const log = path.join(dir, 'opened-urls.txt');
  const script = path.join(dir, 'record-browser.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
  chmodSync(script, 0o755);
  await execProgram('wine', ['reg', 'add', 'HKCU\\Software\\Wine\\WineBrowser', '/v', 'Browsers', '/t', 'REG_SZ', '/d', script, '/f'], { env: wine.env, timeout: 60_000 });
  return { urls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : []) };
}

/**
 * Waits until the program asked the shell to open its page (exactly once), and opens that address
 * in `browser` as the customer's default browser would.
 */
export async function openShellPage(browser: Browser, shellBrowser: RecordingBrowser, program: WineProcess, lang: 'de' | 'en' = 'en'): Promise<WatchedPage> {
  await expect.poll(() => shellBrowser.urls().length, { timeout: 60_000, message: 'the program asks the Windows shell to open its page' }).toBe(1);
  const url = shellBrowser.urls()[0]!;
  expect(url, JSON.stringify(program.output())).toMatch(PAGE_URL);
  const cust = await openPage(browser, 'program page', { viewport: { width: 900, height: 900 }, locale: lang === 'de' ? 'de-DE' : 'en-US' });
  await cust.page.goto(url);
  return cust;
}

/** Terms in the program's page, then a technician signs in to the console and connects with the ID + password shown. */
export async function technicianJoins(srvUrl: string, browser: Browser, cust: WatchedPage, locale: 'de-DE' | 'en-US' = 'en-US'): Promise<{ tech: WatchedPage; creds: Credentials }> {
  await visible(cust.page, 'terms-text', 15_000);
  expect(await cust.page.getByTestId('customer-id').count(), 'no ID before the terms are accepted').toBe(0);
  const creds = await acceptAndReadCredentials(cust);
  const tech = await openPage(browser, 'technician', { viewport: { width: 1280, height: 860 }, locale });
  await technicianSignsIn(tech.page, srvUrl, TECH_LOGIN, TECH_PASSWORD);
  await technicianConnects(tech.page, creds);
  await visible(cust.page, 'technician-name', 15_000);
  await visible(tech.page, 'end-session', 10_000);
  return { tech, creds };
}

/** What every Windows end-to-end test stands on: wine's desktop, the real server, Chromium, the program, the shell's recording browser. */
export interface WindowsRig {
  wine: WineDesktop;
  srv: TestServer;
  browser: Browser;
  /** the test's own temporary folder (removed by stop()) */
  dir: string;
  form: ProgramForm;
  /** the program: the signed .exe or the bundle (see ProgramForm) */
  file: string;
  shellBrowser: RecordingBrowser;
  /** the wine user's Downloads folder: a real folder in the prefix (a fresh prefix links it to the Linux home) */
  downloads: string;
  /** starts the program on wine's desktop (FERNHILFE_AGENT_LOG=info unless `env` says otherwise) */
  start(args: string[], env?: Record<string, string>): WineProcess;
  /** the program the test started, killed by stop() if it still runs */
  program?: WineProcess;
  stop(): Promise<void>;
}

export async function startWindowsRig(name: string, form: ProgramForm = 'bundle'): Promise<WindowsRig> {
  assertAppsBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), `fernhilfe-win-${name}-`));
  const file = form === 'exe' ? (await builtWindowsAgent()).file : buildBundle(path.join(dir, 'bundle'));
  const [wine, srv, browser] = await Promise.all([startWine({ width: 1024, height: 640 }), startTestServer(), launchTechnicianBrowser()]);
  const downloads = path.join(wine.driveC, 'users', userInfo().username, 'Downloads');
  rmSync(downloads, { force: true, recursive: false });
  mkdirSync(downloads);
  const rig: WindowsRig = {
    wine,
    srv,
    browser,
    dir,
    form,
    file,
    shellBrowser: await recordingBrowser(wine, dir),
    downloads,
    start: (args, env) => startQuickSupport(wine, form, file, args, env),
    stop: async () => {
      await rig.program?.kill();
      await browser.close();
      await wine.stop();
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
