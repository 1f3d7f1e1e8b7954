import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WineDesktop } from '@fernhilfe/testkit';
import { expect, vi } from 'vitest';
import { bundleForWindows } from './bundle.js';

const ENTRY = fileURLToPath(new URL('./notepad-read.ts', import.meta.url));

/**
 * Notepad's text on `wine`'s desktop, read with WM_GETTEXT by a one-shot Windows process
 * (notepad-read.ts, bundled into `dir` on first use): for tests whose Windows side is not a driver
 * of ours (the built .exe). Call it inside a test; the process's exit is not awaited (on a running
 * wine desktop the launcher returns at once), its answer file is.
 */
export async function readNotepadText(wine: WineDesktop, dir: string): Promise<string> {
  const script = path.join(dir, 'notepad-read.cjs');
  if (!existsSync(script)) await bundleForWindows(ENTRY, dir);
  const out = path.join(dir, `notepad-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const proc = wine.node(script, [wine.winPath(out)]);
  const text = await vi.waitFor(
    () => {
      expect(existsSync(out), `Notepad's text was written (${JSON.stringify(proc.output())})`).toBe(true);
      return (JSON.parse(readFileSync(out, 'utf8')) as { text: string }).text;
    },
    { timeout: 60_000, interval: 100 },
  );
  rmSync(out, { force: true });
  return text;
}
