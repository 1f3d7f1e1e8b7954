// @ts-check
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AgentBuildError } from './errors.mjs';

/** Content types of what a Vite build of the QuickSupport page contains. */
const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
});

/**
 * Every file of the built web app (apps/quicksupport/dist) except source maps, keyed by its URL
 * path ("/index.html", "/assets/index-….js").
 * @param {string} distDir
 * @returns {{ key: string, type: string, body: Buffer }[]}
 */
export function collectAssets(distDir) {
  if (!statSync(path.join(distDir, 'index.html'), { throwIfNoEntry: false })?.isFile()) {
    throw new AgentBuildError('page-not-built', `the QuickSupport page is not built (${distDir}/index.html is missing): run \`npm run build -w apps/quicksupport\``);
  }
  /** @type {{ key: string, type: string, body: Buffer }[]} */
  const out = [];
  const walk = (/** @type {string} */ dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // a dotfile is no page file (scripts/build-apps.mjs once kept its stamp there as dist/.inputs)
      else if (entry.isFile() && !entry.name.endsWith('.map') && !entry.name.startsWith('.')) {
        const type = TYPES[path.extname(entry.name).toLowerCase()];
        if (!type) throw new AgentBuildError('unknown-content-type', `no content type known for ${full}; add it to packages/agent/build/embedded-ui.mjs`);
        out.push({ key: '/' + path.relative(distDir, full).split(path.sep).join('/'), type, body: readFileSync(full) });
      }
    }
  };
  walk(distDir);
  return out;
}

/**
 * The source of a module that replaces packages/agent/src/ui/assets.ts in the bundle: same export,
 * `uiAssets(): Promise<Map<string, {type, body: Buffer}>>`, but the files come from inside the program
 * (gzip + base64 in the bundle), so the agent reads nothing from disk.
 * @param {string} distDir
 */
export function embeddedAssetsModule(distDir) {
  const assets = collectAssets(distDir);
  const table = assets.map((a) => [a.key, a.type, gzipSync(a.body, { level: 9 }).toString('base64')]);
  return {
    assets,
    contents: `import { gunzipSync } from 'node:zlib';
const TABLE = ${JSON.stringify(table)};
/** The QuickSupport page, embedded at build time (packages/agent/build/embedded-ui.mjs). */
export async function uiAssets() {
  const map = new Map();
  for (const [key, type, gz] of TABLE) {
    map.set(key, { type, body: gunzipSync(Buffer.from(gz, 'base64')) });
  }
  return map;
}
`,
  };
}

/**
 * esbuild plugin: an import that resolves to `<agentSrc>/ui/assets(.ts|.js)` gets the embedded module.
 * @param {{ agentSrc: string, distDir: string, onAssets?: (a: { key: string, type: string, body: Buffer }[]) => void }} o
 * @returns {import('esbuild').Plugin}
 */
export function embeddedUiPlugin(o) {
  const target = path.join(o.agentSrc, 'ui', 'assets');
  return {
    name: 'fernhilfe-embedded-ui',
    setup(build) {
      build.onResolve({ filter: /(^|\/)assets(\.[cm]?[jt]s)?$/ }, (args) => {
        if (!args.resolveDir) return undefined;
        const resolved = path.resolve(args.resolveDir, args.path).replace(/\.[cm]?[jt]s$/, '');
        return resolved === target ? { path: target, namespace: 'fernhilfe-embedded-ui' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'fernhilfe-embedded-ui' }, () => {
        const { assets, contents } = embeddedAssetsModule(o.distDir);
        o.onAssets?.(assets);
        return { contents, loader: 'js', resolveDir: o.agentSrc };
      });
    },
  };
}
