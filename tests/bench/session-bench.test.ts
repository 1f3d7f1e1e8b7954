import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `fernhilfe bench session --smoke` runs end to end against the real server as a child process and
 * prints its table. A benchmark is not a test: nothing here looks at how fast anything was, only that
 * the bench works and every row carries a number.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'packages/cli/bin/fernhilfe.js');

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

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bench session --smoke', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'inherit' });
  }, 300_000);

  it('runs against the real server, exits 0 and prints every metric with a number', async () => {
    const { code, stdout, stderr } = await run(['bench', 'session', '--smoke']);
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
