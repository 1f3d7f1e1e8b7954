import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BROWSER_METHOD, browserRows } from './browser-report.js';
import { browserPlan, runBrowserBench, type BrowserBenchPlan, type BrowserBenchResults } from './browser-run.js';
import { markdownTable } from './report.js';
import { runAsMain } from './main.js';
import { RESULTS_DIR } from './paths.js';
import { runEnvironment } from './report.js';

/**
 * `npm run bench:browser [-- --smoke]`, or `node bench/dist/browser.js [--smoke]`:
 * the browser-shared screen end to end (customer page on Xvfb -> server -> console), printed as a
 * Markdown table and written to bench/results/browser.{json,md} (not in a smoke run).
 */

export async function benchBrowser(opts: { smoke: boolean }): Promise<void> {
  const plan = browserPlan(opts.smoke);
  const results = await runBrowserBench(plan);
  const table = markdownTable(browserRows(plan, results));
  process.stdout.write(`\n${table}\n\n`);
  if (plan.smoke) {
    process.stdout.write('smoke run: results not written\n');
    return;
  }
  writeResults(RESULTS_DIR, plan, results, table);
  process.stdout.write(`results written to ${RESULTS_DIR}\n`);
}

function writeResults(dir: string, plan: BrowserBenchPlan, results: BrowserBenchResults, table: string): void {
  mkdirSync(dir, { recursive: true });
  const environment = { ...runEnvironment(), chromium: results.chromium };
  const date = new Date().toISOString();
  writeFileSync(path.join(dir, 'browser.json'), JSON.stringify({ date, environment, plan, results }, null, 2) + '\n');
  const md = ['# Browser screen-sharing benchmark', '', `\`npm run bench:browser\`, ${date}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}, Chromium ${results.chromium}.`, '', table, '', BROWSER_METHOD, ''].join('\n');
  writeFileSync(path.join(dir, 'browser.md'), md);
}

runAsMain(import.meta.url, 'bench:browser', () => benchBrowser({ smoke: process.argv.includes('--smoke') }));
