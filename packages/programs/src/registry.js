// @ts-check
/**
 * Packages from the npm registry that `npm ci` does not install here (registry-packages.json says
 * which and why): fetched once with `npm pack`, checked against the pinned sha512 integrity, and
 * unpacked into a cache folder shared by builds and tests. A package whose tarball does not match
 * its pin is refused, never used.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execProgramSync } from './index.js';
// imported, not read from disk: a bundle of the agent (which uses this package) carries it inside
import pins from './registry-packages.json' with { type: 'json' };

/** @typedef {{ version: string, integrity: string, for: string }} RegistryPin */

/** @type {Record<string, RegistryPin>} */
export const REGISTRY_PACKAGES = pins.packages;

/** A registry package could not be fetched or did not match its pin. */
export class RegistryPackageError extends Error {
  /** @param {string} message @param {{ cause?: unknown }} [opts] */
  constructor(message, opts) {
    super(message, opts);
    this.name = 'RegistryPackageError';
  }
}

/**
 * Where fetched packages are kept: $FERNHILFE_CACHE, else $XDG_CACHE_HOME/fernhilfe, else ~/.cache/fernhilfe.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function cacheDir(env = process.env) {
  if (env.FERNHILFE_CACHE) return path.resolve(env.FERNHILFE_CACHE);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'fernhilfe');
}

/**
 * The unpacked folder of a pinned registry package (its package.json at the top), fetching it on
 * first use. Safe to call from parallel processes: each unpacks into its own folder and renames it
 * into place; the loser of a race uses the winner's.
 * @param {string} name a key of registry-packages.json
 * @param {{ env?: NodeJS.ProcessEnv }} [opts]
 * @returns {{ dir: string, version: string }}
 */
export function registryPackage(name, opts = {}) {
  const pin = REGISTRY_PACKAGES[name];
  if (!pin) throw new RegistryPackageError(`${name} is not pinned in packages/programs/src/registry-packages.json`);
  const root = path.join(cacheDir(opts.env), 'registry');
  const dir = path.join(root, `${name.replace('/', '+')}@${pin.version}`);
  const stamp = path.join(dir, '.fernhilfe-integrity');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === pin.integrity) return { dir, version: pin.version };

  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(path.join(root, '.fetch-'));
  try {
    let tarball;
    try {
      const out = execProgramSync('npm', ['pack', `${name}@${pin.version}`, '--pack-destination', work, '--json', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env });
      tarball = path.join(work, JSON.parse(out)[0].filename);
    } catch (error) {
      throw new RegistryPackageError(`could not fetch ${name}@${pin.version} from the npm registry (needed for ${pin.for})`, { cause: error });
    }
    const [algo, want] = pin.integrity.split('-', 2);
    const got = createHash(/** @type {string} */ (algo)).update(readFileSync(tarball)).digest('base64');
    if (got !== want) throw new RegistryPackageError(`${name}@${pin.version} from the registry does not match its pinned integrity (${algo} ${got}); refusing to use it`);
    const unpacked = path.join(work, 'unpacked');
    mkdirSync(unpacked);
    execProgramSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components', '1', '--no-same-owner']);
    writeFileSync(path.join(unpacked, '.fernhilfe-integrity'), pin.integrity);
    try {
      rmSync(dir, { recursive: true, force: true });
      renameSync(unpacked, dir);
    } catch (error) {
      if (!existsSync(stamp)) throw error;
    }
    return { dir, version: pin.version };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
