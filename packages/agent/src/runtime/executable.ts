import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { embeddedAsset, type AssetName } from './assets.js';
import { sessionFolder } from './session-folder.js';

/**
 * A path an embedded program can be started from (undefined when the program carries no such asset).
 *
 * Linux: an in-memory file. The bytes are written under /dev/shm (tmpfs), opened read-only and
 * unlinked at once; the program is started as `/proc/<our pid>/fd/<n>`, which stays valid while this
 * process holds the descriptor. No name is left on any file system, even after a crash. When
 * /dev/shm is missing or mounted noexec: $XDG_RUNTIME_DIR (also tmpfs), then the session folder.
 *
 * Windows: `<session folder>/<file>`, removed with the folder at exit (session-folder.ts).
 * Unpacked once per process and asset.
 */
const made = new Map<AssetName, string>();

const FILE_NAMES: Record<AssetName, string> = { encoder: process.platform === 'win32' ? 'fernhilfe-encoder.exe' : 'fernhilfe-encoder', 'koffi.node': 'koffi.node' };

export function runnableFromAsset(name: AssetName): string | undefined {
  const known = made.get(name);
  if (known) return known;
  const bytes = embeddedAsset(name);
  if (!bytes) return undefined;
  const file = process.platform === 'linux' ? inMemoryFile(name, bytes) : inSessionFolder(name, bytes);
  made.set(name, file);
  return file;
}

function inSessionFolder(name: AssetName, bytes: Buffer): string {
  const file = path.join(sessionFolder(), FILE_NAMES[name]);
  writeFileSync(file, bytes, { mode: 0o700, flag: 'wx' });
  return file;
}

/** The first of /dev/shm, $XDG_RUNTIME_DIR, the session folder where a file can be written and started. */
export function inMemoryFile(name: AssetName, bytes: Buffer, dirs = candidateDirs()): string {
  for (const dir of dirs) {
    const runnable = unlinkedCopy(dir, name, bytes);
    if (runnable) return runnable;
  }
  return inSessionFolder(name, bytes);
}

function candidateDirs(): string[] {
  return ['/dev/shm', process.env.XDG_RUNTIME_DIR].filter((d): d is string => !!d && existsSync(d));
}

/** Writes, reopens read-only, unlinks; `/proc/<pid>/fd/<n>` when it can be started from there. */
function unlinkedCopy(dir: string, name: AssetName, bytes: Buffer): string | undefined {
  const file = path.join(dir, `.fernhilfe-${FILE_NAMES[name]}-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  try {
    writeFileSync(file, bytes, { mode: 0o700, flag: 'wx' });
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  } finally {
    try {
      unlinkSync(file);
    } catch {
      // never written
    }
  }
  const runnable = `/proc/${process.pid}/fd/${fd}`;
  try {
    accessSync(runnable, constants.X_OK); // EACCES on a noexec mount
    return runnable;
  } catch {
    closeSync(fd);
    return undefined;
  }
}
