import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runNode } from '../support/processes.js';

/**
 * `npm run bench:browser -- --smoke` (the compiled bench/dist/browser.js) runs end to
 * end: real server, Xvfb, two Chromiums, a shared screen. A benchmark is not a test: nothing here
 * looks at how fast anything was, only that the bench works and every row carries a number.
 */
const BENCH = path.join(ROOT, 'bench/dist/browser.js');

const METRIC_ROWS = [
  /Share click → first frame on the console canvas/,
  /Frames drawn on the console per second, moving square/,
  /Received by the console, moving square/,
  /Frames drawn per second, still screen/,
  /Received by the console, still screen/,
  /Latency screen change → console canvas p50 \/ p95/,
  /Customer Chromium CPU, moving: renderer/,
  /Console Chromium CPU, moving/,
  /Xvfb \/ server CPU, moving/,
];

const run = (args: string[]) => runNode(BENCH, args, { timeoutMs: 170_000 });

describe('bench:browser --smoke', () => {
  beforeAll(() => {
    buildOnce();
    for (const app of ['quicksupport', 'console']) {
      if (!existsSync(path.join(ROOT, 'apps', app, 'dist', 'index.html'))) throw new Error(`apps/${app} is not built: run \`npm run build\` first`);
    }
  }, 300_000);

  it('shares a real X screen from one browser to another, exits 0 and prints every metric with a number', async () => {
    const { code, stdout, stderr } = await run(['--smoke']);
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const tableRows = stdout.split('\n').filter((line) => line.startsWith('| '));
    expect(tableRows[0]).toMatch(/^\| metric\s+\| value\s+\| goal\s+\| met\? \|$/);
    for (const metric of METRIC_ROWS) {
      const row = tableRows.find((line) => metric.test(line));
      expect(row, `a row for ${metric}`).toBeDefined();
      const value = row!.split('|')[2]!;
      expect(value, `the value of ${metric}`).toMatch(/\d+(\.\d+)?/);
      expect(value).not.toMatch(/NaN|undefined|n\/a/);
    }
    expect(stdout).toMatch(/smoke run: results not written/);
  }, 180_000);
});
