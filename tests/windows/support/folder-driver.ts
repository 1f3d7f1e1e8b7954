// first, as in the agent's main.ts: the `--remove-after` copy of this script ends here
import '../../../packages/agent/src/runtime/remove-after.js';
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sessionFolder } from '../../../packages/agent/src/runtime/session-folder.js';

/**
 * Runs on the Windows Node under wine (bundled by encoder-wine.test.ts): makes the session folder,
 * loads koffi's DLL from it, tries to remove the folder itself (Windows refuses while the DLL is
 * loaded), reports and exits; the session folder's exit handler hands the removal to
 * `<node> <this script> --remove-after <pid> <folder>`. argv: report file.
 */
const dir = sessionFolder();
const dll = path.join(dir, 'koffi.node');
copyFileSync(process.env.FERNHILFE_KOFFI_NATIVE!, dll);
process.dlopen({ exports: {} }, dll);
let removable = 'yes';
try {
  rmSync(dir, { recursive: true });
} catch (error) {
  removable = (error as NodeJS.ErrnoException).code ?? 'failed';
}
writeFileSync(process.argv[2]!, JSON.stringify({ dir, removable, left: readdirSync(dir), pid: process.pid }));
process.exit(0);
