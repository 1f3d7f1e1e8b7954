import { spawnProgram } from '@fernhilfe/programs';
import { formatKeyFile } from '@fernhilfe/server';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { BenchClient } from '../client.js';
import { markdownTable } from '../report.js';
import { ServerProcess } from '../server-process.js';
import { CLUSTER_METHOD, clusterRows, type ClusterPlan, type ClusterResults } from './cluster-report.js';
import { runLoad, type LoadOptions } from './load-phase.js';
import { plotSamples } from './plot.js';
import { Sampler } from './sampler.js';
import { runAsMain } from '../main.js';
import { FERNHILFE_BIN as BIN, RESULTS_DIR } from '../paths.js';
import { BenchError } from '../errors.js';
import { makeTempDir, startPostgres, startRedis, type PostgresServer, type RedisServer } from '@fernhilfe/testkit';
import { runEnvironment } from '../report.js';

/**
 * `npm run bench:load [-- --smoke] [--sessions N] [--seconds S] [--interval-ms MS]`: many concurrent sessions across
 * two server nodes on Redis, each with a paced stream: frames lost, relay-added latency, CPU and
 * memory of each node over time. Prints a table; writes bench/results/load.{md,json} and
 * load-cpu-memory.svg (a temporary directory with --smoke).
 */
const LOGIN = 'bench';
const progress = (text: string) => process.stderr.write(`bench:load: ${text}\n`);

export function clusterPlan(argv: string[]): ClusterPlan {
  const smoke = argv.includes('--smoke');
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(v) || v <= 0) throw new BenchError('setup', `${name} needs a positive number`);
    return v;
  };
  const sessions = arg('--sessions', smoke ? 20 : 1000);
  const seconds = arg('--seconds', smoke ? 10 : 180);
  return {
    smoke,
    nodes: 2,
    sessions,
    seconds,
    warmupMs: smoke ? 1000 : 5000,
    drainMs: smoke ? 5000 : 15_000,
    chunk: 10 * 1024,
    // 10 KiB every 100 ms = 100 KiB/s per session; --interval-ms 1000 gives a load this 2-core host can drive
    intervalMs: arg('--interval-ms', 100),
    // about 100 sessions per worker thread, set up one worker after the other (tickets are valid 30 s)
    workers: arg('--workers', Math.max(2, 2 * Math.ceil(sessions / 200))),
    sampleMs: arg('--sample-seconds', smoke ? 1 : 5) * 1000,
    baselineSeconds: Math.min(seconds, smoke ? 5 : 30),
  };
}

export async function benchLoad(plan: ClusterPlan): Promise<void> {
  const services: { stop(): Promise<void> }[] = [];
  try {
    progress('starting redis-server and PostgreSQL');
    // the bench publishes far more than a test: a larger pub/sub output buffer keeps redis from dropping a node
    const redis = await startRedis({ extraArgs: ['--client-output-buffer-limit', 'pubsub 256mb 64mb 60'] });
    services.push(redis);
    const pg = await startPostgres({ settings: ['max_connections=200'] });
    services.push(pg);
    const password = randomBytes(18).toString('base64url');
    // every node of one database needs the same server key (docs/deployment.md): one for the run, never written
    const serverKey = formatKeyFile({ master: randomBytes(32), receiptSeed: randomBytes(32) });
    const nodes: ServerProcess[] = [];
    for (const name of ['node-a', 'node-b']) {
      progress(`starting ${name}`);
      const env = { REDIS_URL: redis.url, NODE_ID: name, DATABASE_URL: pg.url, SERVER_KEY: serverKey, MAX_CONNECTIONS_PER_IP: '100000', P2P: '0', LOG_LEVEL: 'warn' };
      const node = await ServerProcess.start({ login: LOGIN, password, env });
      services.push(node);
      nodes.push(node);
    }
    await addUser(pg.url, password);
    const [a, b] = await Promise.all(nodes.map((n) => BenchClient.signIn(n.url, LOGIN, password)));
    const results = await run(plan, nodes, [a!, b!], redis, pg);
    for (const n of nodes) n.assertRunning();
    await report(plan, results);
  } finally {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
  }
}

async function run(plan: ClusterPlan, nodes: ServerProcess[], [a, b]: [BenchClient, BenchClient], redis: RedisServer, pg: PostgresServer): Promise<ClusterResults> {
  const procs = [...nodes.map((n, i) => ({ name: `node-${'ab'[i]}`, pid: n.pid })), { name: 'redis', pid: redis.pid }, { name: 'postgres', pid: pg.pid }];
  const sampler = new Sampler(procs, plan.sampleMs);
  const opts = (mode: LoadOptions['mode'], seconds: number): LoadOptions => ({
    mode,
    sessions: plan.sessions,
    workers: plan.workers,
    chunk: plan.chunk,
    intervalMs: plan.intervalMs,
    warmupMs: plan.warmupMs,
    durationMs: seconds * 1000,
    drainMs: plan.drainMs,
    sequentialSetup: mode === 'relay',
    // half the workers: customers on node-a, technicians via node-b; the other half the other way round
    routes: [
      { customer: a, technicianUrl: () => b.technicianUrl() },
      { customer: b, technicianUrl: () => a.technicianUrl() },
    ],
  });
  sampler.phase = 'setup';
  sampler.start();
  progress(`${plan.sessions} sessions across 2 nodes, ${plan.seconds} s (sampling every ${plan.sampleMs / 1000} s)`);
  const relay = await runLoad({ ...opts('relay', plan.seconds) }, a, undefined, {
    onGo: () => (sampler.phase = 'load'),
    onDone: () => (sampler.phase = 'end'),
  });
  const samples = sampler.stop();
  progress(`baseline without the relay, ${plan.baselineSeconds} s`);
  const direct = await runLoad(opts('direct', plan.baselineSeconds), a, undefined);
  return { relay, direct, samples, cores: cpus().length };
}

async function report(plan: ClusterPlan, results: ClusterResults): Promise<void> {
  const table = markdownTable(clusterRows(plan, results));
  process.stdout.write(`\n${table}\n\n`);
  const dir = plan.smoke ? makeTempDir('bench-load-smoke') : RESULTS_DIR;
  mkdirSync(dir, { recursive: true });
  const environment = runEnvironment();
  const date = new Date().toISOString();
  writeFileSync(path.join(dir, 'load.json'), JSON.stringify({ date, environment, plan, results }, null, 2) + '\n');
  const svg = await plotSamples(results.samples, `${plan.sessions} sessions across 2 nodes: CPU and memory over time`);
  writeFileSync(path.join(dir, 'load-cpu-memory.svg'), svg);
  const md = [
    '# Load benchmark: sessions across two nodes on Redis',
    '',
    `\`npm run bench:load\`, ${date}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}.`,
    '',
    table,
    '',
    '![CPU and memory of each node over time](load-cpu-memory.svg)',
    '',
    CLUSTER_METHOD,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'load.md'), md);
  process.stdout.write(`results written to ${dir}\n`);
}

/** The technician account, in the shared database (`fernhilfe user add` with DATABASE_URL). */
function addUser(databaseUrl: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnProgram({ file: process.execPath }, [BIN, 'user', 'add', LOGIN, '--role', 'technician'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new BenchError('process', `fernhilfe user add failed: ${err}`))));
    child.stdin!.end(`${password}\n`);
  });
}

runAsMain(import.meta.url, 'bench:load', () => benchLoad(clusterPlan(process.argv.slice(2))));
