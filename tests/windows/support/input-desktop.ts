import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execProgram } from '@fernhilfe/programs';
import { startWine, type WineDesktop, type WineProcess } from '@fernhilfe/testkit';
import { expect, vi } from 'vitest';
import { startDriver, type WindowsDriver } from './rpc.js';

const DRIVER = fileURLToPath(new URL('./input-driver.ts', import.meta.url));

export interface InputDesktop {
  wine: WineDesktop;
  driver: WindowsDriver;
  notepad: WineProcess;
  /** a temporary folder of the test's (bundles), removed by stop() */
  dir: string;
  /** the wine user's Downloads folder, a real folder inside the prefix's drive_c */
  downloads: string;
  stop(): Promise<void>;
}

/**
 * A wine desktop with the X keyboard set to `xkb` before any Windows program starts (wine takes the
 * layout from X at its start), Notepad in front, and input-driver.ts running the agent's Windows
 * platform. The wine user's Downloads (a link to $HOME in a fresh prefix) becomes a real folder.
 */
export async function startInputDesktop(xkb: string): Promise<InputDesktop> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-wine-input-'));
  const wine = await startWine({ width: 1024, height: 640 });
  try {
    await execProgram('setxkbmap', ['-display', wine.display, xkb]);
    const downloads = path.join(wine.driveC, 'users', userInfo().username, 'Downloads');
    rmSync(downloads, { force: true, recursive: false });
    mkdirSync(downloads);
    const notepad = wine.start('notepad');
    const driver = await startDriver(wine, DRIVER, dir);
    await driver.call('open');
    await vi.waitFor(async () => expect(await driver.call('focusNotepad'), 'Notepad is open and in front').toBe(true), { timeout: 60_000, interval: 200 });
    return {
      wine,
      driver,
      notepad,
      dir,
      downloads,
      stop: async () => {
        await driver.stop();
        await wine.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await wine.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
