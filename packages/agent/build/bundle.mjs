// @ts-check
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { embeddedUiPlugin } from './embedded-ui.mjs';
import { AgentBuildError } from './errors.mjs';
import { optionalNativePlugin } from './optional-native.mjs';
import { serverSlotBanner } from './server-slot.mjs';

/**
 * Build-time constants the agent reads (declare them in the agent as
 * `declare const __FERNHILFE_SERVER_URL__: string | undefined` and guard with `typeof`):
 * - `__FERNHILFE_SERVER_URL__`: the operator's server, or undefined (then `--server URL` is required)
 * - `__FERNHILFE_AGENT_VERSION__`: the agent's version
 * - `__FERNHILFE_SINGLE_FILE__`: true inside the built program
 */
export const BUILD_CONSTANTS = ['__FERNHILFE_SERVER_URL__', '__FERNHILFE_AGENT_VERSION__', '__FERNHILFE_SINGLE_FILE__'];

/**
 * The agent's entry: packages/agent/src/main.ts, or (until it exists) the build's placeholder.
 * @param {string} root
 */
export function agentEntry(root) {
  const main = path.join(root, 'packages/agent/src/main.ts');
  return existsSync(main) ? { file: main, placeholder: false } : { file: path.join(root, 'packages/agent/build/placeholder-main.ts'), placeholder: true };
}

/**
 * Bundles the agent into one CommonJS file (what a Node 20 single executable runs), with the
 * QuickSupport page embedded and the native addons left out.
 * `serverSlot`: no address built in, but room for one written in later (server-slot.mjs).
 * @param {{ root: string, entry: string, outFile: string, serverUrl: string | undefined, version: string, minify?: boolean, serverSlot?: boolean }} o
 */
export async function bundleAgent(o) {
  /** @type {{ key: string, type: string, body: Buffer }[]} */
  let assets = [];
  const result = await esbuild.build({
    entryPoints: [o.entry],
    outfile: o.outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    conditions: ['source'],
    // every import() left in the bundle (a specifier esbuild cannot see) becomes require(): in a
    // single executable that loads built-in modules only (ERR_UNKNOWN_BUILTIN_MODULE), so the
    // program never loads code from disk. Node 22's own import() would resolve packages from
    // node_modules folders above the build's temporary path (e.g. /tmp/node_modules).
    supported: { 'dynamic-import': false },
    minify: o.minify ?? true,
    keepNames: true,
    legalComments: 'eof',
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    define: {
      __FERNHILFE_SERVER_URL__: o.serverSlot ? '__fernhilfe_server_url' : o.serverUrl === undefined ? 'undefined' : JSON.stringify(o.serverUrl),
      __FERNHILFE_AGENT_VERSION__: JSON.stringify(o.version),
      __FERNHILFE_SINGLE_FILE__: 'true',
      // CommonJS has no import.meta; code that builds URLs from it gets the program's own path
      'import.meta.url': '__fernhilfe_import_meta_url',
    },
    banner: { js: `var __fernhilfe_import_meta_url = require("node:url").pathToFileURL(__filename).href;${o.serverSlot ? `\n${serverSlotBanner()}` : ''}` },
    plugins: [
      embeddedUiPlugin({ agentSrc: path.join(o.root, 'packages/agent/src'), distDir: path.join(o.root, 'apps/quicksupport/dist'), onAssets: (a) => (assets = a) }),
      optionalNativePlugin(),
    ],
  });
  const external = Object.values(result.metafile.outputs)[0]?.imports.filter((i) => i.external && !i.path.startsWith('node:') && !isBuiltin(i.path)) ?? [];
  if (external.length > 0) throw new AgentBuildError('bundle-needs-files', `the bundle would need files beside it: ${external.map((i) => i.path).join(', ')}`);
  return { assets, warnings: result.warnings, inputs: Object.keys(result.metafile.inputs).length };
}
