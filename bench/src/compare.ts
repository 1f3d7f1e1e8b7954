import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { cells } from './compare/cells.js';
import { openMachines } from './compare/machines.js';
import type { LinkProfileName } from './compare/net/index.js';
import { ALL_PROFILES, ALL_WORKLOADS, comparePlan, isComplete, type PlanOptions } from './compare/plan.js';
import { comparePlotSvg } from './compare/plot.js';
import { clock } from './compare/progress.js';
import { COMPARE_METHOD, compareReport } from './compare/report.js';
import { runCompare } from './compare/run.js';
import type { Workload } from './compare/workloads.js';
import { RESULTS_DIR } from './paths.js';

/**
 * `npm run bench [-- --runs N] [--profiles lan,dsl,lte,bad] [--only typing,drag] [--colocated] [--smoke]`:
 * Fernhilfe against x11vnc + noVNC on the same X screen (issues 7 and 17), by default as two machines on
 * one (network namespaces, pinned cores, the customer's link emulated per profile). Prints the report; a
 * complete run (≥ 3 runs, all profiles and workloads, not --smoke) writes exactly that to
 * bench/results/compare.{json,md,svg}; a partial one writes nothing.
 */
export async function benchCompare(o: PlanOptions): Promise<void> {
  const t0 = performance.now();
  const machines = await openMachines(o.colocated ?? false);
  try {
    const say = (s: string) => process.stdout.write(`${s}\n`);
    if (machines.mode === 'colocated' && !o.colocated) say(`two machines on one are not possible here, running colocated (lan only): ${machines.describe()}`);
    const profiles = machines.mode === 'colocated' ? ['lan' as const] : o.profiles;
    const plan = comparePlan({ ...o, ...(profiles ? { profiles } : {}) });
    const results = await runCompare(plan, machines);
    const all = cells(results);
    const report = compareReport(results, all, plan.runs);
    say(`\n${report}`);
    const svg = await comparePlotSvg(results, all);
    const complete = isComplete(plan, machines.mode);
    say(`the whole run took ${clock(performance.now() - t0)}`);
    if (!complete) {
      say(`${plan.smoke ? 'smoke' : 'partial'} run: results not written (plot rendered, ${svg.length} bytes of SVG)`);
      return;
    }
    mkdirSync(RESULTS_DIR, { recursive: true });
    const environment = { node: process.versions.node, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', chromium: results.chromium };
    const date = new Date().toISOString();
    writeFileSync(path.join(RESULTS_DIR, 'compare.json'), JSON.stringify({ date, environment, plan, results, cells: all }, null, 2) + '\n');
    writeFileSync(path.join(RESULTS_DIR, 'compare.svg'), svg);
    const stacks = results.stacks.map((s) => `- **${s.name}**: ${s.description}`).join('\n');
    const head = `\`npm run bench\`${process.argv.length > 2 ? ` (${process.argv.slice(2).join(' ')})` : ''}, ${date}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}, Chromium ${results.chromium}.`;
    writeFileSync(path.join(RESULTS_DIR, 'compare.md'), ['# Fernhilfe vs x11vnc + noVNC', '', head, '', stacks, '', '![plot](compare.svg)', '', report, COMPARE_METHOD, ''].join('\n'));
    say(`results written to ${RESULTS_DIR}`);
  } finally {
    await machines.close();
  }
}

const list =
  <T extends string>(allowed: readonly T[], what: string) =>
  (value: string): T[] => {
    const xs = value.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = xs.filter((x) => !(allowed as readonly string[]).includes(x));
    if (bad.length || xs.length === 0) throw new InvalidArgumentError(`${what}: ${bad.join(', ') || 'none'} (choose from ${allowed.join(', ')})`);
    return xs as T[];
  };

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return n;
};

export function parseCompareArgs(argv: string[]): PlanOptions {
  const program = new Command('bench')
    .description('Fernhilfe vs x11vnc + noVNC: glass-to-glass latency, frames, bytes, quality, CPU')
    .option('--runs <n>', 'runs per workload, stack and profile, interleaved (default 3; smoke 1)', positive)
    .option('--profiles <list>', `link profiles of the customer's link (default ${ALL_PROFILES.join(',')}; smoke lan,dsl)`, list<LinkProfileName>(ALL_PROFILES, 'unknown profile'))
    .option('--only <list>', `workloads (default ${ALL_WORKLOADS.join(',')}; smoke typing,drag)`, list<Workload['name']>(ALL_WORKLOADS, 'unknown workload'))
    .option('--colocated', 'everything in the root namespace on 127.0.0.1, unpinned, lan only (the mode before issue 17)')
    .option('--smoke', 'one quick run (the test suite runs it)')
    .exitOverride()
    .parse(argv, { from: 'user' });
  const o = program.opts<{ runs?: number; profiles?: LinkProfileName[]; only?: Array<Workload['name']>; colocated?: boolean; smoke?: boolean }>();
  if (o.colocated && o.profiles && o.profiles.some((p) => p !== 'lan')) throw new InvalidArgumentError('--colocated runs lan only (no link emulation in the root namespace)');
  return { smoke: o.smoke ?? false, colocated: o.colocated ?? false, ...(o.runs ? { runs: o.runs } : {}), ...(o.profiles ? { profiles: o.profiles } : {}), ...(o.only ? { only: o.only } : {}) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  (async () => benchCompare(parseCompareArgs(process.argv.slice(2))))().then(
    () => process.exit(0),
    (err: unknown) => {
      const usage = err instanceof Error && err.name === 'CommanderError';
      if (!usage) process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(usage ? 2 : 1);
    },
  );
}
