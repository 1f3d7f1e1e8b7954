import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvariantError } from '@fernhilfe/protocol';

/**
 * The QuickSupport page's files (the build output of apps/quicksupport) by URL path ("/index.html",
 * "/assets/index-abc.js"). In development they are read from apps/quicksupport/dist; the
 * single-file build (packages/agent/build/, scripts/build-agent.mjs) replaces this module with one
 * that has them embedded. This file is the only contract between the two: keep its export.
 */
export interface UiAsset {
  /** Content-Type */
  type: string;
  body: Buffer;
}

export const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** packages/agent/{src,dist}/ui/ -> the repository root -> apps/quicksupport/dist */
const DIST = fileURLToPath(new URL('../../../../apps/quicksupport/dist/', import.meta.url));

export async function uiAssets(): Promise<Map<string, UiAsset>> {
  const assets = new Map<string, UiAsset>();
  let files: string[];
  try {
    files = (await readdir(DIST, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (err) {
    throw new InvariantError(`the QuickSupport page is not built (${DIST}): run \`npm run build -w apps/quicksupport\``, { cause: err });
  }
  for (const file of files) {
    if (file.endsWith('.map')) continue; // source maps stay at home
    const rel = '/' + path.relative(DIST, file).split(path.sep).join('/');
    assets.set(rel, { type: contentTypes[path.extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
  }
  if (!assets.has('/index.html')) throw new InvariantError(`${DIST}index.html is missing: run \`npm run build -w apps/quicksupport\``);
  return assets;
}
