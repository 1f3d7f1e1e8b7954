import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removerCommand } from './remove-after.js';
import { spawnProgram } from '@fernhilfe/programs';

/**
 * The program's own temporary folder, `<os.tmpdir()>/fernhilfe-qs-XXXXXX` (mode 0700), made on first
 * use and removed when the process ends: a normal exit, process.exit, an uncaught error (both run
 * the 'exit' handlers), or SIGINT/SIGTERM/SIGHUP that nothing else handles (then the folder goes
 * and the signal is raised again). Where the agent handles a signal itself it ends with
 * process.exit, which removes the folder.
 *
 * Windows cannot delete a loaded DLL or a running .exe, so when removal fails there, a detached,
 * hidden copy of this program (`--remove-after <pid> <folder>`, see remove-after.ts) waits for this
 * process to be gone and removes the folder then.
 */
let folder: string | undefined;

export function sessionFolder(): string {
  if (folder) return folder;
  const made = mkdtempSync(path.join(os.tmpdir(), 'fernhilfe-qs-'), { encoding: 'utf8' });
  folder = made;
  process.once('exit', () => removeSessionFolder());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // someone else (the agent) handles it and ends with process.exit: the 'exit' handler removes it
      if (process.listeners(signal).some((l) => l !== onSignal)) return;
      removeSessionFolder();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    // first in line, so a `once` listener of the agent is still registered when this one looks
    process.prependListener(signal, onSignal);
  }
  return made;
}

/** Removes the folder now (idempotent); on Windows hands what is locked to the remover. */
export function removeSessionFolder(): void {
  const dir = folder;
  if (!dir) return;
  folder = undefined;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    if (process.platform !== 'win32') return; // nothing on Linux keeps a folder from being removed
    const { file, args } = removerCommand(process.pid, dir);
    spawnProgram({ file }, args, { detached: true, stdio: 'ignore', windowsHide: true }).unref();
  }
}
