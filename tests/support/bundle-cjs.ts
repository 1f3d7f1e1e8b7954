import * as esbuild from 'esbuild';

/**
 * One CommonJS file of a TypeScript entry and everything it imports (the sources, as the agent's
 * build bundles them), for a Node that has no checkout beside it: the Windows Node under wine, a
 * single executable. `import.meta.url` becomes the bundle's own path, as in the agent's build.
 */
export async function bundleCjs(entry: string, outfile: string): Promise<string> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    conditions: ['source'],
    logLevel: 'silent',
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  });
  return outfile;
}
