import { rmSync } from 'node:fs';
import sea from 'node:sea';

/**
 * `<program> --remove-after <pid> <folder>`: waits until process <pid> is gone, removes <folder>
 * and exits. The program starts itself so at exit on Windows, where its session folder still holds
 * a loaded DLL or a running encoder (see session-folder.ts). Imported first by main.ts: when the
 * arguments ask for it, this runs to the end before any other module of the program loads (it is
 * also imported by session-folder.ts, so any program that uses the folder handles the argument).
 * Only a folder named fernhilfe-qs-* is removed.
 */
const FLAG = '--remove-after';
const POLL_MS = 100;
const GIVE_UP_MS = 120_000;

/** The command that starts the remover: the executable itself, or Node with the same script. */
export function removerCommand(pid: number, folder: string): { file: string; args: string[] } {
  const script = sea.isSea() || !process.argv[1] ? [] : [process.argv[1]];
  return { file: process.execPath, args: [...script, FLAG, String(pid), folder] };
}

/** The remover's arguments from argv (after the node/exe and script), or undefined. */
export function removerArgs(args: readonly string[]): { pid: number; folder: string } | undefined {
  const at = args.indexOf(FLAG);
  if (at < 0 || at > 1) return undefined;
  const pid = Number(args[at + 1]);
  const folder = args[at + 2];
  if (!Number.isInteger(pid) || pid <= 0 || !folder || !/[\\/]fernhilfe-qs-[^\\/]+$/.test(folder)) return undefined;
  return { pid, folder };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Blocks (this helper process has nothing else to do) until `pid` is gone, then removes `folder`. */
export function removeAfter(pid: number, folder: string): void {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; alive(pid) && waited < GIVE_UP_MS; waited += POLL_MS) Atomics.wait(tick, 0, 0, POLL_MS);
  rmSync(folder, { recursive: true, force: true, maxRetries: 20, retryDelay: POLL_MS });
}

const wanted = removerArgs(process.argv.slice(1));
if (wanted) {
  try {
    removeAfter(wanted.pid, wanted.folder);
    process.exit(0);
  } catch {
    process.exit(1);
  }
}
