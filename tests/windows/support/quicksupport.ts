import { execProgram, execProgramSync } from '@fernhilfe/programs';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WineDesktop, WineProcess } from '@fernhilfe/testkit';
import { ROOT } from '../../support/processes.js';

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

export function startQuickSupport(wine: WineDesktop, bundle: string, args: string[], env: Record<string, string> = {}): WineProcess {
  return wine.node(bundle, args, { env: { FERNHILFE_AGENT_LOG: 'info', ...env }, name: 'quicksupport' });
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
