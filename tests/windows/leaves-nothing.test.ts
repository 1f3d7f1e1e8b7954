import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../e2e/support/browser.js';
import { prefixDifferences, snapshotPrefix, type PrefixSnapshot } from './support/prefix-snapshot.js';
import { openShellPage, programOutput, sessionFolders, startWindowsRig, technicianJoins, type WindowsRig } from './support/quicksupport.js';

/**
 * The QuickSupport program for Windows leaves nothing behind: the wine prefix (every registry value
 * and every file under drive_c with its size) is the same before the signed .exe starts and after a
 * whole session (page opened through the Windows shell, terms, ID + password, a technician
 * connects and sees the screen, End in the page) once every Windows process has ended: also its
 * session folder with the log and the koffi.node and fernhilfe-encoder.exe it unpacked there, which
 * the `--remove-after` copy of the program removes once the program is gone.
 */
describe('QuickSupport for Windows under wine: nothing left behind', () => {
  let rig: WindowsRig;
  let before: PrefixSnapshot;

  beforeAll(async () => {
    rig = await startWindowsRig('nothing', 'exe');
    const { wine, dir } = rig;
    // wine writes its own first-start state (the desktop's display settings, fonts) when the first
    // program runs on the virtual desktop: let that happen before the picture is taken
    const warm = path.join(dir, 'warm-up.cjs');
    writeFileSync(warm, 'process.exit(0);\n');
    expect(await wine.node(warm).exited()).toBe(0);
    await wine.settle();
    before = snapshotPrefix(wine.prefix);
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('a whole session through the page the Windows shell opened, then the prefix is as before', async () => {
    const { wine, srv, browser } = rig;
    const program = (rig.program = rig.start(['--server', srv.url, '--lang', 'en']));
    const cust = await openShellPage(browser, rig.shellBrowser, program);
    const { tech } = await technicianJoins(srv.url, browser, cust);
    // the technician sees the screen: the program captures and encodes, from what it unpacked
    await expect.poll(() => tech.page.evaluate(() => (document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement | null)?.width), { timeout: 30_000, message: programOutput(wine, program) }).toBe(wine.width);
    const folders = sessionFolders(wine);
    expect(folders, 'one session folder in %TEMP%').toHaveLength(1);
    expect(readdirSync(folders[0]!).sort()).toEqual(['agent.log', 'fernhilfe-encoder.exe', 'koffi.node']);
    await cust.page.getByTestId('end-session').click();
    await tech.page.getByTestId('session-ended').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await textOf(tech.page, 'session-ended')).toMatch(/customer ended/i);
    expect(await program.exited(30_000), programOutput(wine, program)).toBe(0);

    await wine.settle();
    expect(sessionFolders(wine), 'the session folder is gone').toEqual([]);
    expect(prefixDifferences(before, snapshotPrefix(wine.prefix))).toEqual([]);
  }, 240_000);
});
