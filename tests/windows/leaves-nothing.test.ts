import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWine, type WineDesktop, type WineProcess } from '@fernhilfe/testkit';
import { assertAppsBuilt, launchTechnicianBrowser, textOf } from '../e2e/support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { prefixDifferences, snapshotPrefix, type PrefixSnapshot } from './support/prefix-snapshot.js';
import { buildBundle, openShellPage, recordingBrowser, startQuickSupport, technicianJoins, type RecordingBrowser } from './support/quicksupport.js';

/**
 * The QuickSupport program for Windows leaves nothing behind: the wine prefix (every registry value
 * and every file under drive_c with its size) is the same before the program starts and after a
 * whole session (page opened through the Windows shell, terms, ID + password, a technician
 * connects, End in the page) once every Windows process has ended.
 */
describe('QuickSupport for Windows under wine: nothing left behind', () => {
  let wine: WineDesktop;
  let srv: TestServer;
  let browser: Browser;
  let dir: string;
  let bundle: string;
  let shellBrowser: RecordingBrowser;
  let program: WineProcess | undefined;
  let before: PrefixSnapshot;

  beforeAll(async () => {
    assertAppsBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-win-nothing-'));
    bundle = buildBundle(path.join(dir, 'bundle'));
    [wine, srv, browser] = await Promise.all([startWine({ width: 1024, height: 640 }), startTestServer(), launchTechnicianBrowser()]);
    shellBrowser = await recordingBrowser(wine, dir);
    // wine writes its own first-start state (the desktop's display settings, fonts) when the first
    // program runs on the virtual desktop: let that happen before the picture is taken
    const warm = path.join(dir, 'warm-up.cjs');
    writeFileSync(warm, 'process.exit(0);\n');
    expect(await wine.node(warm).exited()).toBe(0);
    await wine.settle();
    before = snapshotPrefix(wine.prefix);
  });
  afterAll(async () => {
    await program?.kill();
    await browser?.close();
    await wine?.stop();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a whole session through the page the Windows shell opened, then the prefix is as before', async () => {
    program = startQuickSupport(wine, bundle, ['--server', srv.url, '--lang', 'en']);
    const cust = await openShellPage(browser, shellBrowser, program);
    const { tech } = await technicianJoins(srv.url, browser, cust);
    await cust.page.getByTestId('end-session').click();
    await tech.page.getByTestId('session-ended').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await textOf(tech.page, 'session-ended')).toMatch(/customer ended/i);
    expect(await program.exited(30_000), JSON.stringify(program.output())).toBe(0);

    await wine.settle();
    expect(prefixDifferences(before, snapshotPrefix(wine.prefix))).toEqual([]);
  }, 240_000);
});
