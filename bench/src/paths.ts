import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the benches find the checkout: bench/src (tests) and bench/dist (npm run bench*) both sit in bench/. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** bench/results: the committed results of full runs (smoke runs write to a temp dir). */
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
/** The `fernhilfe` command the benches start servers with. */
export const FERNHILFE_BIN = path.join(ROOT, 'packages', 'cli', 'bin', 'fernhilfe.js');

/** The compiled file of a bench module, also when the caller runs from source (a test): a child process needs JavaScript. */
export function compiledPath(moduleUrl: URL): string {
  return fileURLToPath(moduleUrl).replace(`${path.sep}bench${path.sep}src${path.sep}`, `${path.sep}bench${path.sep}dist${path.sep}`).replace(/\.ts$/, '.js');
}
