import { execProgramSync } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BenchClient } from '../client.js';
import { runLoad, type LoadOptions } from '../load/load-phase.js';
import { hostLoadPercent, makeTempDir } from '@fernhilfe/testkit';
import { markdownTable } from '../report.js';
import { ServerProcess } from '../server-process.js';
import { databaseSize, growth } from './database.js';
import { Flood } from './flood.js';
import { ABUSE_METHOD, abuseRows, type AbusePlan, type AbuseRun } from './report.js';
import { runAsMain } from '../main.js';
import { RESULTS_DIR } from '../paths.js';
import { BenchError } from '../errors.js';
import { runEnvironment } from '../report.js';

/**
 * `npm run bench:abuse [-- --smoke]`: real sessions streaming through the relay while an
 * unauthenticated flood holds 10,000 connections and runs register -> end loops from 50 addresses
 * (issue 14). Prints a table; writes bench/results/abuse.{json,md} (a temporary directory with --smoke).
 */
const LOGIN = 'bench';
const progress = (text: string) => process.stderr.write(`bench:abuse: ${text}\n`);

export function abusePlan(argv: string[]): AbusePlan {
  const smoke = argv.includes('--smoke');
  const held = smoke ? 300 : 10_000;
  return {
    smoke,
    runs: smoke ? 1 : 3,
    sessions: smoke ? 4 : 20,
    seconds: smoke ? 3 : 20,
    held,
    heldAddresses: smoke ? 3 : 50,
    loopAddresses: smoke ? 5 : 50,
    loopRatePerAddress: 5,
    // the real sessions register 2 x sessions IDs per run from 127.0.0.1 within a minute
    serverEnv: { REGISTRATIONS_PER_MINUTE: String(Math.max(30, 3 * (smoke ? 4 : 20))) },
    openFileLimit: openFileLimit(),
  };
}

export async function benchAbuse(plan: AbusePlan): Promise<void> {
  const needed = plan.held + plan.loopAddresses + 4 * plan.sessions + 200;
  if (plan.openFileLimit < needed) {
    throw new BenchError('setup', `the open-file limit is ${plan.openFileLimit}, the flood needs about ${needed}: run it with a higher \`ulimit -n\``);
  }
  const runs: AbuseRun[] = [];
  for (let i = 1; i <= plan.runs; i++) {
    progress(`run ${i} of ${plan.runs}`);
    runs.push(await oneRun(plan));
  }
  const table = markdownTable(abuseRows(plan, runs));
  process.stdout.write(`\n${table}\n\n`);
  const dir = plan.smoke ? makeTempDir('bench-abuse-smoke') : RESULTS_DIR;
  writeResults(dir, plan, runs, table);
  process.stdout.write(`results written to ${dir}\n`);
}

async function oneRun(plan: AbusePlan): Promise<AbuseRun> {
  const hostLoadBefore = await hostLoadPercent(1000);
  const password = randomBytes(18).toString('base64url');
  await using server = await ServerProcess.start({ login: LOGIN, password, env: plan.serverEnv });
  const client = await BenchClient.signIn(server.url, LOGIN, password);
  const load: LoadOptions = { mode: 'relay', sessions: plan.sessions, workers: 1, chunk: 16 * 1024, intervalMs: 16, warmupMs: 500, durationMs: plan.seconds * 1000, drainMs: plan.smoke ? 5000 : 15_000 };
  progress(`  quiet: ${plan.sessions} sessions, ${plan.seconds} s`);
  const quiet = await runLoad(load, client, server);
  server.assertRunning();

  const before = databaseSize(server.dataDir);
  const flood = new Flood({ customerUrl: client.customerUrl, termsVersion: client.termsVersion, held: plan.held, heldAddresses: plan.heldAddresses, loopAddresses: plan.loopAddresses, loopRatePerAddress: plan.loopRatePerAddress });
  const floodStart = performance.now();
  progress(`  flood: opening ${plan.held} connections`);
  try {
    await flood.start();
    progress(`  flood: ${flood.heldNow} held, loops running; ${plan.sessions} sessions, ${plan.seconds} s`);
    const during = await runLoad(load, client, server);
    server.assertRunning();
    await flood.stop();
    const floodSeconds = (performance.now() - floodStart) / 1000;
    const after = databaseSize(server.dataDir);
    return { quiet, flood: during, serverRssHighWaterKiB: rssHighWaterKiB(server.pid), dbGrowth: growth(before, after), floodSeconds, counts: flood.counts, hostLoadBefore };
  } finally {
    await flood.stop();
  }
}

/** VmHWM: the most resident memory the process ever had, KiB. */
function rssHighWaterKiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)\s+kB/m);
  if (!match) throw new BenchError('process', `no VmHWM in /proc/${pid}/status`);
  return Number(match[1]);
}

function openFileLimit(): number {
  try {
    return Number(execProgramSync('sh', ['-c', 'ulimit -n']).trim()) || 0;
  } catch {
    return 0;
  }
}

function writeResults(dir: string, plan: AbusePlan, runs: AbuseRun[], table: string): void {
  mkdirSync(dir, { recursive: true });
  const environment = runEnvironment();
  const date = new Date().toISOString();
  writeFileSync(path.join(dir, 'abuse.json'), JSON.stringify({ date, environment, plan, runs }, null, 2) + '\n');
  const settings = Object.entries(plan.serverEnv).map(([k, v]) => `${k}=${v}`).join(', ');
  const md = [
    '# Abuse benchmark: an unauthenticated flood while real sessions stream',
    '',
    `\`npm run bench:abuse\`, ${date}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}; server settings: ${settings}; open-file limit ${plan.openFileLimit}.`,
    '',
    table,
    '',
    ABUSE_METHOD,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'abuse.md'), md);
}

runAsMain(import.meta.url, 'bench:abuse', () => benchAbuse(abusePlan(process.argv.slice(2))));
