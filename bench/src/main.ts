import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A bench's entry: when `moduleUrl` is the script node was started with, runs `bench` and exits 0,
 * or prints "`name` failed: …" with the stack and exits 1.
 */
export function runAsMain(moduleUrl: string, name: string, bench: () => Promise<unknown>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  bench().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
