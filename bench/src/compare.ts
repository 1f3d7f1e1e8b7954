import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPARE_METHOD, compareRows, compareTable } from './compare/report.js';
import { comparePlotSvg } from './compare/plot.js';
import { comparePlan, runCompare } from './compare/run.js';
import { stageTable } from './compare/stages.js';
import { RESULTS_DIR } from './paths.js';

/**
 * `npm run bench [-- --smoke] [--only NAME]`: Fernhilfe against x11vnc + noVNC on the same X screen in
 * one run (issue 7). Prints the table; a full run of all workloads writes bench/results/compare.{json,md,svg}
 * (--only idle|typing|drag|animation runs one workload and writes nothing).
 */

export async function benchCompare(opts: { smoke: boolean; only?: string }): Promise<void> {
  const plan = { ...comparePlan(opts.smoke), ...(opts.only ? { only: opts.only } : {}) };
  const results = await runCompare(plan);
  const table = compareTable(compareRows(results));
  process.stdout.write(`\n${table}\n\n`);
  const svg = await comparePlotSvg(results);
  if (plan.smoke || plan.only) {
    process.stdout.write(`${plan.smoke ? 'smoke' : 'partial'} run: results not written (plot rendered, ${svg.length} bytes of SVG)\n`);
    return;
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const environment = { node: process.versions.node, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', chromium: results.chromium };
  const date = new Date().toISOString();
  writeFileSync(path.join(RESULTS_DIR, 'compare.json'), JSON.stringify({ date, environment, plan, results }, null, 2) + '\n');
  writeFileSync(path.join(RESULTS_DIR, 'compare.svg'), svg);
  const stacks = results.stacks.map((s) => `- **${s.name}**: ${s.description}`).join('\n');
  // where Fernhilfe's glass-to-glass time goes, stage by stage, per workload (what holds a missed goal back)
  const stageTables = results.workloads.flatMap((w) => {
    const f = w.results.find((r) => r.stack === 'Fernhilfe');
    return f?.latency.stages ? [stageTable(w.title, f.latency.stages, f.latency.p50, f.agentFrames)] : [];
  });
  const md = ['# Fernhilfe vs x11vnc + noVNC', '', `\`npm run bench\`, ${date}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}, Chromium ${results.chromium}.`, '', stacks, '', table, '', '![plot](compare.svg)', '', '## Where Fernhilfe\'s latency goes', '', ...stageTables.flatMap((t) => [t, '']), COMPARE_METHOD, ''].join('\n');
  writeFileSync(path.join(RESULTS_DIR, 'compare.md'), md);
  process.stdout.write(`results written to ${RESULTS_DIR}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.indexOf('--only');
  benchCompare({ smoke: process.argv.includes('--smoke'), ...(only > 0 && process.argv[only + 1] ? { only: process.argv[only + 1] } : {}) }).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
