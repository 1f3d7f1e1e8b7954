import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_CLI, buildOnce, runNode } from '../support/processes.js';
import { expectTableRows } from './table-rows.js';

/**
 * `npm run bench:files -- --smoke` runs end to end (real server process, two endpoint processes) and
 * prints its table. Nothing here judges speed: only that the bench works and every row has a number.
 */
const METRIC_ROWS = [
  /unencrypted, technician → customer/,
  /encrypted file transfer, technician → customer/,
  /encrypted file transfer, customer → technician/,
  /sweep: 64 KiB chunks/,
  /sweep: 1000 KiB chunks/,
  /CPU ms per MiB, unencrypted/,
  /CPU ms per MiB, encrypted file transfer/,
  /Unencrypted \/ encrypted CPU per MiB/,
  /Encrypted \/ unencrypted throughput/,
  /RSS high-water, server \(encrypted runs\)/,
  /RSS high-water, technician \(encrypted runs\)/,
  /RSS high-water, customer \(encrypted runs\)/,
];

describe('bench files --smoke', () => {
  beforeAll(() => buildOnce(), 300_000);

  it('runs against the real server, exits 0 and prints every metric with a number', async () => {
    const { code, stdout, stderr } = await runNode(BENCH_CLI, ['files', '--smoke'], { timeoutMs: 180_000 });
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const rows = expectTableRows(stdout, METRIC_ROWS);
    expect(rows[0]).toMatch(/^\| metric\s+\| value\s+\| goal\s+\| met\? \|$/);
    expect(stdout).toMatch(/results written to .*fernhilfe-bench-smoke-/);
  }, 240_000);
});
