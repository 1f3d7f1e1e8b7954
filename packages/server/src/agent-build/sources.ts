import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout the server runs from (src/agent-build/ and dist/agent-build/ are both four levels down). */
export const ROOT = path.resolve(fileURLToPath(new URL('../../../../', import.meta.url)));
/** What `npm run build:agent` runs after building the page. */
export const BUILD_SCRIPT = path.join(ROOT, 'scripts/build-agent.mjs');

/** Everything a QuickSupport program is made from: when any of it changes, the program is built again. */
const INPUTS = [
  'packages/agent/src',
  'packages/agent/build',
  'packages/agent/native',
  'packages/agent/package.json',
  'packages/client/src',
  'packages/protocol/src',
  'packages/programs/src',
  'packages/server/src/agent-download/signature.ts',
  'packages/server/src/agent-download/signing-keys.ts',
  'apps/quicksupport/src',
  'apps/quicksupport/index.html',
  'apps/quicksupport/package.json',
  'scripts/build-agent.mjs',
  'package-lock.json',
];

/** The program's version (packages/agent/package.json). */
export async function agentVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'packages/agent/package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/**
 * A fingerprint of the program's sources (the first 20 hex digits of SHA-256 over their paths and
 * contents): what a new commit changes, and known without git. `extra`: more paths (relative to
 * the checkout) to take in, e.g. built output.
 */
export async function sourcesFingerprint(extra: readonly string[] = [], root = ROOT): Promise<string> {
  const hash = createHash('sha256');
  const add = async (rel: string): Promise<void> => {
    const full = path.join(root, rel);
    if (!existsSync(full)) return;
    if ((await stat(full)).isDirectory()) {
      for (const name of (await readdir(full)).sort()) if (name !== 'node_modules' && name !== 'dist') await add(path.join(rel, name));
    } else {
      hash.update(`${rel}\0`).update(await readFile(full));
    }
  };
  for (const rel of [...INPUTS, ...extra]) await add(rel);
  return hash.digest('hex').slice(0, 20);
}
