// @ts-check
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execProgramSync, findProgram, spawnProgramSync } from '@fernhilfe/programs';
import { AgentBuildError } from './errors.mjs';

/** The fuse Node looks for to know a blob was injected (Node's single-executable docs). */
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Turns a one-file CommonJS bundle into a single executable: a copy of the Node binary (`node`,
 * by default the one running this build; the blob must be made by the same Node version) with the
 * bundle injected as a SEA blob. Debug symbols are stripped first when `strip` is on this machine.
 *
 * The V8 code cache is always on: it starts the program ~3x faster, and with it Node 20 rejects
 * every `import()` the bundle left in place (a specifier esbuild could not see, e.g. a variable)
 * with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. Without it, such an import would resolve packages
 * from node_modules folders above the build's temporary path (e.g. /tmp/node_modules) on the
 * customer's machine: code from disk, which the program must never load.
 * @param {{ bundleFile: string, outFile: string, workDir: string, node: string, strip: boolean }} o
 * @returns {Promise<{ stripped: boolean, nodeVersion: string }>}
 */
export async function makeSea(o) {
  const nodeVersion = execProgramSync({ file: o.node }, ['--version']).trim();
  if (!/^v(2\d|[3-9]\d)\./.test(nodeVersion)) throw new AgentBuildError('old-node', `${o.node} is Node ${nodeVersion}; single executables need Node 20 or newer`);
  const blob = path.join(o.workDir, 'sea-prep.blob');
  const config = path.join(o.workDir, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: o.bundleFile, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: true }));
  execProgramSync({ file: o.node }, ['--experimental-sea-config', config], { stdio: 'pipe' });

  let stripped = false;
  if (o.strip && findProgram('strip')) {
    execProgramSync('strip', ['--strip-all', o.node, '-o', o.outFile]);
    stripped = true;
  } else {
    copyFileSync(o.node, o.outFile);
  }
  chmodSync(o.outFile, 0o755);

  // postject's own CLI, in a child: its injector chatters on stderr; shown only when it fails
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const run = spawnProgramSync({ file: process.execPath }, [postject, o.outFile, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SENTINEL_FUSE]);
  if (run.status !== 0) throw new AgentBuildError('postject-failed', `postject failed (${run.status ?? run.signal}): ${run.stdout}${run.stderr}`);
  return { stripped, nodeVersion };
}
