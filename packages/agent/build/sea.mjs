// @ts-check
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execProgramSync, findProgram, spawnProgramSync } from '@fernhilfe/programs';
import { AgentBuildError } from './errors.mjs';
import { removeSignature } from './authenticode.mjs';
import { setGuiSubsystem } from './pe.mjs';

/** The fuse Node looks for to know a blob was injected (Node's single-executable docs). */
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Turns a one-file CommonJS bundle into a single executable: a copy of the pinned Node binary of
 * the target (`binary`) with the bundle and `assets` injected as a SEA blob, which `blobMaker` (the
 * pinned Linux Node of the same version, run here) prepares. Linux: debug symbols stripped first
 * when `strip` is on this machine. Windows (`windows`): the PE is marked a GUI program after the
 * injection, so no console window opens (the Authenticode signing comes after this, authenticode.mjs).
 *
 * `codeCache`: V8's code cache in the blob; it starts the Linux program faster. A cache made on
 * Linux is not valid for node.exe (under wine node.exe warns "Code cache data rejected" and compiles
 * anyway), so the Windows blob is made without it (docs/agent-build.md, "Single executable notes").
 * No code from disk either way: the bundle has no import() left (bundle.mjs).
 * @param {{ bundleFile: string, outFile: string, workDir: string, binary: string, blobMaker: string, strip: boolean, windows: boolean, codeCache: boolean, assets: Record<string, string> }} o
 * @returns {Promise<{ stripped: boolean, nodeVersion: string }>}
 */
export async function makeSea(o) {
  const nodeVersion = execProgramSync({ file: o.blobMaker }, ['--version']).trim();
  if (!/^v(2[2-9]|[3-9]\d)\./.test(nodeVersion)) throw new AgentBuildError('old-node', `${o.blobMaker} is Node ${nodeVersion}; the program is built on the pinned Node 22 or newer`);
  const blob = path.join(o.workDir, 'sea-prep.blob');
  const config = path.join(o.workDir, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: o.bundleFile, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: o.codeCache, assets: o.assets }));
  const made = spawnProgramSync({ file: o.blobMaker }, ['--experimental-sea-config', config], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (made.status !== 0) throw new AgentBuildError('postject-failed', `the SEA blob could not be made (${made.status ?? made.signal}): ${made.stdout}${made.stderr}`);

  let stripped = false;
  if (!o.windows && o.strip && findProgram('strip')) {
    execProgramSync('strip', ['--strip-all', o.binary, '-o', o.outFile]);
    stripped = true;
  } else if (o.windows) {
    rmSync(o.outFile, { force: true });
    removeSignature(o.binary, o.outFile); // Node.js's Authenticode signature: the injection would break it
  } else {
    copyFileSync(o.binary, o.outFile);
  }
  chmodSync(o.outFile, 0o755);

  // postject's own CLI, in a child: its injector chatters on stderr; shown only when it fails
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const run = spawnProgramSync({ file: process.execPath }, [postject, o.outFile, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SENTINEL_FUSE]);
  if (run.status !== 0) throw new AgentBuildError('postject-failed', `postject failed (${run.status ?? run.signal}): ${run.stdout}${run.stderr}`);
  if (o.windows) {
    const bytes = readFileSync(o.outFile);
    setGuiSubsystem(bytes);
    writeFileSync(o.outFile, bytes);
  }
  return { stripped, nodeVersion };
}
