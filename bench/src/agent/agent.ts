import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XPainter, startXvfb, hostLoadPercent } from '@fernhilfe/testkit';
import { measureCapture } from './capture-costs.js';
import { measureScenario, type ScenarioResult } from './measure.js';
import { formatTable, writeReport, type AgentBenchReport } from './report.js';
import { workloads } from './workloads.js';
import { runWinAgentBench } from './win-bench.js';
import { formatWinTable } from './win-report.js';
import { runWaylandRow } from './wl-bench.js';
import { RESULTS_DIR } from '../paths.js';
import { BenchError } from '../errors.js';

/**
 * `npm run bench:agent [-- --smoke] [--only TEXT] [--warmup S] [--runs N] [--platform x11|win-x64]` (win-x64: the Windows capture under wine, win-bench.ts; x11: without the Wayland row): the native agent's screen path on a real Xvfb at 1920x1080:
 * capture cost (shared memory vs core), then for each workload (idle clock, typing, dragged window,
 * full motion) frames/s, bytes/s and the agent's CPU; then the Wayland row on headless GNOME (wl-bench.ts,
 * --runs N times each workload, default 3, smoke 1). Writes bench/results/agent.{md,json}
 * (a smoke run writes nothing unless --out is given; --only runs the workloads whose name contains TEXT;
 * --warmup: seconds before measuring, default 8; 30 leaves out V8's memory reducer, whose full GCs come
 * once, ~8-18 s after the start, and cost an idle agent ~0.2 % of a core in a 20 s window).
 */
export async function runAgentBench(opts: { smoke: boolean; outDir?: string; only?: string; warmupS?: number; wayland?: boolean; waylandRuns?: number }): Promise<AgentBenchReport> {
  // the smoke run's windows are short, yet long enough for a fresh agent's first frames on a busy machine
  // (0.5 s + 1.5 s once gave the motion workload no frame at all while other tests ran)
  const warmupMs = opts.smoke ? 1500 : (opts.warmupS ?? 8) * 1000;
  const hostLoadBefore = await hostLoadPercent(opts.smoke ? 300 : 1000);
  const xvfb = await startXvfb({ width: 1920, height: 1080 });
  // a client stays connected the whole time (else Xvfb resets between workloads) and paints a plain desktop
  const painter = await XPainter.open(xvfb.display);
  try {
    await painter.fill([58, 110, 165]);
    const capture = await measureCapture(xvfb.name, opts.smoke ? 5 : 60);
    const scenarios: ScenarioResult[] = [];
    for (const w of workloads.filter((x) => !opts.only || x.name.includes(opts.only))) {
      await painter.fill([58, 110, 165]);
      // a warm-up before measuring: the agent's own start-up (module compile, first GCs, encoder set-up) is not the workload's cost
      scenarios.push(await measureScenario(xvfb.name, w, { warmupMs, windowMs: opts.smoke ? 3000 : 20_000 }));
    }
    // the Wayland row (wl-bench.ts): the same workloads' kind on headless GNOME; says why where mutter cannot start
    const wayland = opts.wayland === false ? undefined : await runWaylandRow({ smoke: opts.smoke, warmupMs, runs: opts.waylandRuns, only: opts.only });
    const report: AgentBenchReport = { when: new Date().toISOString(), smoke: opts.smoke, screen: 'Xvfb 1920x1080x24', capture, scenarios, hostLoadBefore, warmupS: warmupMs / 1000, ...(wayland ? { wayland } : {}) };
    if (opts.outDir) writeReport(report, opts.outDir);
    return report;
  } finally {
    painter.close();
    await xvfb.stop();
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const smoke = process.argv.includes('--smoke');
  const outArg = process.argv.indexOf('--out');
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
  const warmupArg = process.argv.indexOf('--warmup');
  const warmupS = warmupArg > 0 ? Number(process.argv[warmupArg + 1]) : undefined;
  if (warmupS !== undefined && !(warmupS >= 0 && warmupS <= 600)) throw new BenchError('setup', `--warmup takes seconds from 0 to 600, not ${process.argv[warmupArg + 1]}`);
  const outDir = outArg > 0 ? process.argv[outArg + 1] : smoke ? undefined : RESULTS_DIR;
  const platformArg = process.argv.indexOf('--platform');
  const runsArg = process.argv.indexOf('--runs');
  const windows = platformArg > 0 && process.argv[platformArg + 1] === 'win-x64';
  const run: Promise<[table: string, file: string]> = windows
    ? runWinAgentBench({ smoke, outDir, runs: runsArg > 0 ? Number(process.argv[runsArg + 1]) : undefined }).then((r) => [formatWinTable(r), 'agent-win-x64'])
    : runAgentBench({ smoke, outDir, only, warmupS, wayland: !(platformArg > 0 && process.argv[platformArg + 1] === 'x11'), waylandRuns: runsArg > 0 ? Number(process.argv[runsArg + 1]) : undefined }).then((r) => [formatTable(r), 'agent']);
  run.then(
    ([table, file]) => {
      console.log(table);
      if (outDir) console.log(`\nwritten to ${path.join(outDir, `${file}.md`)} and ${file}.json`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
