import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A new empty directory under the system temp dir, named `fernhilfe-<prefix>-XXXXXX`. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `fernhilfe-${prefix}-`));
}

/** Removes a directory and everything in it; a directory that is already gone is fine. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
