// @ts-check
/**
 * The only place in Fernhilfe that starts other programs. A program is named by its entry in
 * programs.json (so the compiler and src/guard.test.ts know every one of them, and scripts/test.sh
 * installs its Debian package); a missing one fails at once with the package to install instead of
 * spawn's bare ENOENT. Programs that are ours rather than Debian's (Node itself, the built agent, a
 * browser command the customer configured) are passed as `{ file: path }`.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { findProgram, PROGRAMS } from './find.js';

export { FILES, findProgram, isProgramName, missingPackages, PROGRAMS } from './find.js';
export { cacheDir, REGISTRY_PACKAGES, registryPackage, RegistryPackageError } from './registry.js';

/** @typedef {import('./find.js').ProgramName} ProgramName */
/** @typedef {import('./find.js').FindOptions} FindOptions */
/** @typedef {ProgramName | { file: string }} Command a listed program, or a file by path: Node itself, the built agent, a path found with programPath before, a command the customer configured */

/** A listed program is not installed here. The message says which Debian package brings it. */
export class ProgramMissingError extends Error {
  /** @param {ProgramName} program */
  constructor(program) {
    const entry = PROGRAMS[program];
    const how = entry.node
      ? 'it comes with Node.js: install Node.js 20 or newer with npm'
      : `install the Debian package ${entry.debian} (apt-get install ${entry.debian}; \`npm test\` installs it)${entry.env ? `, or point ${entry.env} at it` : ''}`;
    super(`${program} is not installed: ${how}. It is needed for ${entry.for}.`);
    this.name = 'ProgramMissingError';
    /** @readonly */
    this.program = program;
    /** @readonly */
    this.debianPackage = entry.debian;
  }
}

/**
 * The absolute path of a listed program; throws ProgramMissingError when it is not installed.
 * @param {ProgramName} name
 * @param {FindOptions} [opts]
 * @returns {string}
 */
export function programPath(name, opts) {
  const file = findProgram(name, opts);
  if (!file) throw new ProgramMissingError(name);
  return file;
}

/**
 * @param {Command} command
 * @param {NodeJS.ProcessEnv | undefined} env the child's environment, whose PATH is searched
 */
function resolve(command, env) {
  return typeof command === 'string' ? programPath(command, { env: env ?? process.env }) : command.file;
}

/**
 * child_process.spawn for a listed program (or a file by path).
 * @param {Command} command
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {import('node:child_process').ChildProcess}
 */
export function spawnProgram(command, args, options = {}) {
  return spawn(resolve(command, options.env), args, options);
}

/**
 * child_process.spawnSync, always with text output.
 * @param {Command} command
 * @param {readonly string[]} args
 * @param {Omit<import('node:child_process').SpawnSyncOptions, 'encoding'>} [options]
 * @returns {import('node:child_process').SpawnSyncReturns<string>}
 */
export function spawnProgramSync(command, args, options = {}) {
  return spawnSync(resolve(command, options.env), args, { ...options, encoding: 'utf8' });
}

/**
 * child_process.execFileSync: runs to the end, throws on a non-zero exit; returns standard output
 * as text ('' when it was not piped).
 * @param {Command} command
 * @param {readonly string[]} args
 * @param {Omit<import('node:child_process').ExecFileSyncOptions, 'encoding'>} [options]
 * @returns {string}
 */
export function execProgramSync(command, args, options = {}) {
  const out = execFileSync(resolve(command, options.env), args, { ...options, encoding: 'utf8' });
  return typeof out === 'string' ? out : '';
}

/**
 * child_process.execFile as a promise: resolves with the text output, rejects on a non-zero exit.
 * @param {Command} command
 * @param {readonly string[]} args
 * @param {Omit<import('node:child_process').ExecFileOptions, 'encoding'>} [options]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function execProgram(command, args, options = {}) {
  return new Promise((done, fail) => {
    let file;
    try {
      file = resolve(command, options.env);
    } catch (error) {
      fail(error);
      return;
    }
    execFile(file, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) fail(Object.assign(error, { stdout, stderr }));
      else done({ stdout, stderr });
    });
  });
}
