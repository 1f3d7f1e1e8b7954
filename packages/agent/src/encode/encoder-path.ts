import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '@fernhilfe/programs';
import { runnableFromAsset } from '../runtime/executable.js';
import { EncodeError } from './errors.js';

/**
 * The fernhilfe-encoder program the agent encodes with (packages/agent/native/encoder), first found of:
 * 1. `explicit` or $FERNHILFE_ENCODER (a path);
 * 2. inside the QuickSupport single executable: the embedded one, unpacked (runtime/executable.ts);
 * 3. in a checkout: the build of this source in the cache, `cacheDir()/encoder/<key>/<target>/`,
 *    which `npm run build:encoder` makes (packages/agent/build/encoder.mjs; same key).
 * Throws a plain-worded EncodeError when there is none.
 */
export function findEncoder(env: NodeJS.ProcessEnv = process.env, explicit?: string): string {
  const wanted = explicit ?? env.FERNHILFE_ENCODER;
  if (wanted) {
    if (!isFile(wanted)) throw EncodeError.missing(`FERNHILFE_ENCODER points to ${wanted}, which is not a file`);
    return wanted;
  }
  const embedded = runnableFromAsset('encoder');
  if (embedded) return embedded;
  const built = cachedBuild(env);
  if (built && isFile(built)) return built;
  throw EncodeError.missing(
    `the H.264 encoder (fernhilfe-encoder) is not built${built ? ` (looked for ${built})` : ''}: run \`npm run build:encoder\` in the checkout, or set FERNHILFE_ENCODER to its path`,
  );
}

/** The cache path encoder.mjs builds this source to; undefined outside a checkout (no source beside the code). */
export function cachedBuild(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const native = fileURLToPath(new URL('../../native/encoder/', import.meta.url));
  let source: Buffer, settings: Buffer;
  try {
    source = readFileSync(path.join(native, 'fernhilfe-encoder.c'));
    settings = readFileSync(path.join(native, 'build.json'));
  } catch {
    return undefined;
  }
  const build = JSON.parse(settings.toString('utf8')) as { x264: { version: string }; targets: Record<string, { file: string }> };
  const target = process.platform === 'win32' ? 'win-x64' : 'linux-x64';
  const key = `${build.x264.version}-${createHash('sha256').update(source).update(settings).digest('hex').slice(0, 16)}`;
  const file = build.targets[target]?.file;
  return file ? path.join(cacheDir(env), 'encoder', key, target, file) : undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
