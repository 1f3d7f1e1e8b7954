import { build } from 'esbuild';
import path from 'node:path';

/**
 * One CommonJS file for the pinned Windows Node under wine: `entry` (a TypeScript file of ours) with
 * everything it imports bundled in (koffi comes from FERNHILFE_KOFFI_NATIVE at run time, never bundled).
 */
export async function bundleForWindows(entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.cjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'error', external: ['koffi', 'bufferutil', 'utf-8-validate'] });
  return outfile;
}
