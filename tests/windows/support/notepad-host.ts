import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WineDesktop } from '@fernhilfe/testkit';
import { expect, vi } from 'vitest';
import { bundleForWindows } from './bundle.js';

const ENTRY = fileURLToPath(new URL('./notepad-read.ts', import.meta.url));

/**
 * Runs `entry` (a TypeScript file of ours, bundled into `dir` on first use) as a one-shot Windows
 * process on `wine`'s desktop with the answer file's Windows path and `args`, and returns the JSON it
 * wrote there. The process's exit is not awaited (on a running wine desktop the launcher returns at
 * once), its answer file is (a half-written one is read again).
 */
export async function askWindows<T>(wine: WineDesktop, dir: string, entry: string, args: string[] = []): Promise<T> {
  const script = path.join(dir, `${path.basename(entry, '.ts')}.cjs`);
  if (!existsSync(script)) await bundleForWindows(entry, dir);
  const out = path.join(dir, `answer-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const proc = wine.node(script, [wine.winPath(out), ...args]);
  const answer = await vi.waitFor(
    () => {
      expect(existsSync(out), `${path.basename(entry)} answered (${JSON.stringify(proc.output())})`).toBe(true);
      return JSON.parse(readFileSync(out, 'utf8')) as T;
    },
    { timeout: 60_000, interval: 100 },
  );
  rmSync(out, { force: true });
  return answer;
}

/**
 * Notepad's text on `wine`'s desktop, read with WM_GETTEXT by a one-shot Windows process
 * (notepad-read.ts): for tests whose Windows side is not a driver of ours (the built .exe). Call it
 * inside a test.
 */
export async function readNotepadText(wine: WineDesktop, dir: string): Promise<string> {
  return (await askWindows<{ text: string }>(wine, dir, ENTRY)).text;
}
