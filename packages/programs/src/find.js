// @ts-check
/**
 * Finding the programs of programs.json, without starting them. Plain JavaScript with no dependency,
 * so that scripts/test.sh can ask which Debian packages are missing before `npm ci` and any build.
 */
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import list from './programs.json' with { type: 'json' };

/** @typedef {keyof typeof list.programs} ProgramName */
/** @typedef {{ debian?: string, for: string, env?: string, dirs?: string[], node?: boolean, install?: boolean }} ProgramEntry */
/** @typedef {{ path?: string, env?: NodeJS.ProcessEnv, dirs?: string[] }} FindOptions */

/** @type {Record<ProgramName, ProgramEntry>} */
export const PROGRAMS = list.programs;

/** @type {Record<string, { debian: string, for: string }>} */
export const FILES = list.files;

/**
 * @param {string} name
 * @returns {name is ProgramName}
 */
export function isProgramName(name) {
  return Object.hasOwn(PROGRAMS, name);
}

/**
 * The absolute path of a listed program: the file its `env` variable names, else the first match on
 * PATH, else in its `dirs` (newest version first); undefined when it is not installed.
 * @param {ProgramName} name
 * @param {FindOptions} [opts] another PATH, environment or dirs (for tests)
 * @returns {string | undefined}
 */
export function findProgram(name, opts = {}) {
  const entry = PROGRAMS[name];
  const env = opts.env ?? process.env;
  const override = entry.env ? env[entry.env] : undefined;
  if (override) return isExecutable(override) ? path.resolve(override) : undefined;
  const onPath = (opts.path ?? env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const extra = (opts.dirs ?? entry.dirs ?? []).flatMap(expandVersions);
  for (const dir of [...onPath, ...extra]) {
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/**
 * The Debian packages whose listed programs or files are missing here (programs that come with
 * Node.js or that only the customer's PC needs aside), each once, in list order.
 * @param {FindOptions} [opts]
 * @returns {string[]}
 */
export function missingPackages(opts = {}) {
  const packages = new Set();
  for (const [name, entry] of Object.entries(PROGRAMS)) {
    if (entry.node || entry.install === false || !entry.debian) continue;
    if (!findProgram(/** @type {ProgramName} */ (name), opts)) packages.add(entry.debian);
  }
  for (const [file, entry] of Object.entries(FILES)) if (!existsSync(file)) packages.add(entry.debian);
  return [...packages];
}

/** @param {string} file an executable regular file (or a link to one) */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * `/usr/lib/postgresql/STAR/bin` -> every existing version's bin, newest first.
 * @param {string} pattern
 * @returns {string[]}
 */
function expandVersions(pattern) {
  const star = pattern.indexOf('*');
  if (star < 0) return [pattern];
  const parent = pattern.slice(0, star);
  const rest = pattern.slice(star + 1);
  let versions;
  try {
    versions = readdirSync(parent).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return [];
  }
  return versions.sort((a, b) => Number(b) - Number(a)).map((v) => parent + v + rest);
}
