import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_CLI, buildOnce, runNode } from '../support/processes.js';

/**
 * `npm run bench:session -- --smoke` runs end to end against the real server as a child process and
 * prints its table. A benchmark is not a test: nothing here looks at how fast anything was, only that
 * the bench works and every row carries a number.
 */
const BIN = BENCH_CLI;

const METRIC_ROWS = [
  /Session setup median/,
  /Session setup p95/,
  /Relay throughput, 1 session/,
  /Aggregate throughput, \d+ sessions/,
  /One-way latency through relay p50 \/ p99/,
  /One-way latency direct, no relay p50 \/ p99/,
  /Relay added latency p50/,
  /Relay added latency p99/,
  /Frames expected − received/,
  /Frames lost in transit/,
  /Server CPU/,
  /Bench CPU/,
  /Server RSS per idle customer/,
];

const run = (args: string[]) => runNode(BIN, args, { timeoutMs: 230_000 });

describe('bench session --smoke', () => {
  beforeAll(() => {
    buildOnce();
  }, 300_000);

  it('runs against the real server, exits 0 and prints every metric with a number', async () => {
    const { code, stdout, stderr } = await run(['session', '--smoke']);
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const tableRows = stdout.split('\n').filter((line) => line.startsWith('| '));
    expect(tableRows[0]).toMatch(/^\| metric\s+\| value\s+\| goal\s+\| met\? \|$/);
    for (const metric of METRIC_ROWS) {
      const row = tableRows.find((line) => metric.test(line));
      expect(row, `a row for ${metric}`).toBeDefined();
      const value = row!.split('|')[2]!;
      expect(value, `the value of ${metric}`).toMatch(/-?\d+(\.\d+)?/);
      expect(value).not.toMatch(/NaN|undefined/);
    }
    expect(stdout).toMatch(/results written to \S+fernhilfe-bench-smoke-/);
  }, 240_000);
});
