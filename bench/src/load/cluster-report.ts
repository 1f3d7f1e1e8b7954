import type { Row } from '../report.js';
import type { LoadResult } from './load-phase.js';
import type { Sample } from './sampler.js';

export interface ClusterPlan {
  smoke: boolean;
  nodes: number;
  sessions: number;
  seconds: number;
  warmupMs: number;
  drainMs: number;
  /** bytes per frame and frames per second per session */
  chunk: number;
  intervalMs: number;
  workers: number;
  sampleMs: number;
  /** the no-relay baseline runs this long */
  baselineSeconds: number;
}

export interface ClusterResults {
  relay: LoadResult;
  direct: LoadResult;
  samples: Sample[];
  cores: number;
}

const ms = (v: number) => (Number.isNaN(v) ? 'none (no frame sent after the warm-up arrived)' : `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} ms`);
const pct = (v: number) => `${v.toFixed(0)} %`;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(0)}`;

/** The samples taken while the streams ran (the steady state the goals are about). */
export function loadSamples(samples: Sample[]): Sample[] {
  return samples.filter((s) => s.phase === 'load');
}

export function clusterRows(plan: ClusterPlan, r: ClusterResults): Row[] {
  const load = loadSamples(r.samples);
  const names = r.samples[0]?.procs.map((p) => p.name) ?? [];
  const kbps = (plan.chunk / 1024) * (1000 / plan.intervalMs);
  const hostBusy = mean(load.map((s) => s.hostCpu));
  const saturated = hostBusy > r.cores * 100 * 0.9;
  const rows: Row[] = [
    { metric: 'Sessions (customer on one node, technician on the other)', value: `${plan.sessions} over ${plan.nodes} nodes`, goal: '1,000', met: plan.sessions >= 1000 ? 'yes' : 'no (smaller run)' },
    { metric: 'Stream per session', value: `${kbps.toFixed(0)} KiB/s (${plan.chunk / 1024} KiB every ${plan.intervalMs} ms)`, goal: '100 KB/s', met: '–' },
    { metric: 'Measured for', value: `${plan.seconds} s after ${plan.warmupMs / 1000} s warm-up`, goal: 'a few minutes', met: plan.seconds >= 120 ? 'yes' : 'no (shorter run)' },
    { metric: 'Frames scheduled / received', value: `${r.relay.scheduled} / ${r.relay.received}`, goal: '–', met: '–' },
    { metric: 'Frames lost in transit', value: String(r.relay.lostInTransit), goal: '0', met: r.relay.lostInTransit === 0 ? 'yes' : 'no' },
    { metric: 'Frames the load generator could not send in time', value: String(r.relay.backlog), goal: '0', met: r.relay.backlog === 0 ? 'yes' : 'no: the host is the limit' },
    { metric: 'Sessions ended early', value: String(r.relay.endedEarly), goal: '0', met: r.relay.endedEarly === 0 ? 'yes' : 'no' },
    { metric: 'Delivered / target throughput', value: `${r.relay.mibPerSecond.toFixed(1)} / ${r.relay.targetMibPerSecond.toFixed(1)} MiB/s`, goal: '–', met: '–' },
    { metric: 'One-way latency across two nodes p50 / p99', value: `${ms(r.relay.latency.p50)} / ${ms(r.relay.latency.p99)}`, goal: '–', met: '–' },
    { metric: 'One-way latency direct, no relay p50 / p99', value: `${ms(r.direct.latency.p50)} / ${ms(r.direct.latency.p99)}`, goal: '–', met: '–' },
    { metric: 'Relay added latency p50', value: ms(r.relay.latency.p50 - r.direct.latency.p50), goal: '–', met: '–' },
    { metric: 'Relay added latency p99', value: ms(r.relay.latency.p99 - r.direct.latency.p99), goal: '–', met: '–' },
  ];
  for (const name of names) {
    const cpu = load.map((s) => s.procs.find((p) => p.name === name)!.cpu);
    const rss = load.map((s) => s.procs.find((p) => p.name === name)!.rssMiB);
    // judged over the second half of the load (the first half warms up: JIT, socket buffers)
    const settled = rss.slice(Math.floor(rss.length / 2));
    const drift = settled.length > 1 ? settled[settled.length - 1]! - settled[0]! : 0;
    rows.push({ metric: `${name} CPU during load, mean / max`, value: `${pct(mean(cpu))} / ${pct(max(cpu))}`, goal: 'flat', met: '–' });
    rows.push({
      metric: `${name} memory during load, first → last (max)`,
      value: `${(rss[0] ?? Number.NaN).toFixed(0)} → ${(rss[rss.length - 1] ?? Number.NaN).toFixed(0)} MiB (${max(rss).toFixed(0)})`,
      goal: 'flat',
      met: settled.length < 5 ? 'too short to judge' : Math.abs(drift) <= Math.max(20, 0.1 * settled[0]!) ? `yes (${signed(drift)} MiB in the 2nd half)` : `no (${signed(drift)} MiB in the 2nd half)`,
    });
  }
  rows.push({ metric: 'Load generator CPU (all threads), mean', value: pct(mean(load.map((s) => s.benchCpu))), goal: '–', met: '–' });
  const ours = (s: Sample) => s.benchCpu + s.procs.reduce((a, p) => a + p.cpu, 0);
  rows.push({ metric: 'Other processes on the host (not this benchmark), mean', value: pct(mean(load.map((s) => Math.max(0, s.hostCpu - ours(s))))), goal: '–', met: '–' });
  rows.push({ metric: 'Load generator timer lateness p99', value: ms(r.relay.timerLateP99), goal: '–', met: '–' });
  rows.push({
    metric: `Host CPU busy during load, mean (${r.cores} cores = ${r.cores * 100} %)`,
    value: pct(hostBusy),
    goal: `< ${r.cores * 90} %`,
    met: saturated ? 'no: the machine is saturated, figures measure it and not the relay' : 'yes: the nodes were not starved',
  });
  return rows;
}

export const CLUSTER_METHOD = `How each figure was measured

- Infrastructure, started by the bench: a real redis-server (loopback), a real PostgreSQL (unix socket),
  and ${'`fernhilfe start`'} twice as child processes (node-a, node-b) with REDIS_URL, DATABASE_URL and
  P2P=0 (every byte through the relay).
- Sessions: real customer and technician endpoints (CPace, AES-GCM) in worker threads of the bench.
  Worker i registers its customers on one node and connects its technicians through the other, so
  every session crosses the two nodes over the Redis bus (frames unread, end-to-end encrypted).
- Stream: each session's technician sends a frame of the given size on a fixed schedule; the customer
  checks the frame numbers (gaps, repeats = lost in transit) and records the one-way time (same clock).
- Relay added latency: the same schedule over a plain loopback WebSocket without any server (baseline,
  same code on both ends), subtracted percentile by percentile.
- CPU and memory: /proc/<pid>/stat and status of each node, redis-server, PostgreSQL (its main
  process) and this bench, sampled over the run; the table shows the samples taken while the streams ran, the SVG all of them.
- A 2-core machine runs the load generator, both nodes, Redis and PostgreSQL: when the host is near
  100 % per core the figures describe the machine, and the table says so.`;
