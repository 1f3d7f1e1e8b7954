import { cpus } from 'node:os';
import type { CryptoCosts } from './crypto-costs.js';
import type { IdleMemoryResult } from './idle-memory-phase.js';
import type { LoadResult } from './load/load-phase.js';
import type { BenchPlan } from './plan.js';
import type { SetupResult } from './setup-phase.js';
import type { ThroughputResult } from './throughput-phase.js';

/** One load level measured twice: through the relay and over the direct baseline. */
export interface LoadLevel {
  relay: LoadResult;
  direct: LoadResult;
}

export interface SessionBenchResults {
  /** how busy the host was before the bench started, % of one core */
  hostLoadBefore: number;
  setup: SetupResult;
  throughput: ThroughputResult;
  load: LoadLevel;
  light: LoadLevel;
  memory: IdleMemoryResult;
  crypto: CryptoCosts;
}

export interface Row {
  metric: string;
  value: string;
  goal: string;
  met: string;
}

const ms = (v: number) => `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} ms`;
const pct = (v: number | undefined) => `${(v ?? Number.NaN).toFixed(0)} %`;
const mib = (bytes: number) => String(Math.round(bytes / 1024 / 1024));
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const info = (metric: string, value: string): Row => ({ metric, value, goal: '–', met: '–' });

/** The one-way time the relay adds: a percentile through the relay minus the same percentile direct. */
export function addedLatency(level: LoadLevel): { p50: number; p99: number } {
  return { p50: level.relay.latency.p50 - level.direct.latency.p50, p99: level.relay.latency.p99 - level.direct.latency.p99 };
}

function levelRows(plan: BenchPlan, level: LoadLevel, withGoals: boolean): Row[] {
  const { relay, direct } = level;
  const n = `${relay.sessions} sessions`;
  const added = addedLatency(level);
  // when the bench cannot send on schedule, its own queues dominate every latency and the frame count
  const note = relay.backlog > 0 || direct.backlog > 0 ? ' (bench saturated)' : '';
  const rows = [
    info(`Aggregate throughput, ${n} × ${plan.loadChunk / 1024} KiB / ${plan.loadIntervalMs} ms`, `${relay.mibPerSecond.toFixed(1)} MiB/s (target ${relay.targetMibPerSecond.toFixed(1)})`),
    info(`One-way latency through relay p50 / p99 (${n})`, `${ms(relay.latency.p50)} / ${ms(relay.latency.p99)}`),
    info(`One-way latency direct, no relay p50 / p99 (${n})`, `${ms(direct.latency.p50)} / ${ms(direct.latency.p99)}`),
    info(`Relay added latency p50 (${n})`, ms(added.p50)),
    { metric: `Relay added latency p99 (${n})`, value: ms(added.p99), goal: withGoals ? '≤ 5 ms' : '–', met: withGoals ? yes(added.p99 <= 5) + note : '–' },
    { metric: `Frames expected − received (${n})`, value: `${relay.missing} of ${relay.scheduled}`, goal: withGoals ? '0' : '–', met: withGoals ? yes(relay.missing === 0) + note : '–' },
    { metric: `Frames lost in transit (${n})`, value: `${relay.lostInTransit} of ${relay.scheduled}`, goal: '0', met: yes(relay.lostInTransit === 0) },
    info(`Server CPU (${n})`, `${pct(relay.serverCpuPercent)} of one core`),
    info(`Bench CPU (${n}, ${relay.workers} worker thread${relay.workers === 1 ? '' : 's'})`, `${pct(relay.benchCpuPercent)} of one core`),
  ];
  return rows;
}

export function rows(plan: BenchPlan, r: SessionBenchResults): Row[] {
  return [
    { metric: `Session setup median (${r.setup.sessions} sequential)`, value: ms(r.setup.setup.p50), goal: '≤ 100 ms', met: yes(r.setup.setup.p50 <= 100) },
    info('Session setup p95', ms(r.setup.setup.p95)),
    info(`Relay throughput, 1 session (${mib(r.throughput.bytes)} MiB in ${r.throughput.chunk / 1024} KiB chunks)`, `${r.throughput.mibPerSecond.toFixed(1)} MiB/s`),
    info('CPU during the 1-session transfer: server / bench / other processes', `${pct(r.throughput.cpu.server)} / ${pct(r.throughput.cpu.bench)} / ${pct(r.throughput.cpu.other)} of one core`),
    ...levelRows(plan, r.load, true),
    { metric: `Server RSS per idle customer (${r.memory.customers} held)`, value: `${r.memory.perCustomerKiB.toFixed(1)} KiB`, goal: '≤ 64 KiB', met: yes(r.memory.perCustomerKiB <= 64) },
    ...levelRows(plan, r.light, false),
  ];
}

/** Supporting figures: where the time goes, and how trustworthy the run was. */
export function detailRows(plan: BenchPlan, r: SessionBenchResults): Row[] {
  const { load, light } = r;
  const late = (l: LoadLevel) => `${ms(l.relay.timerLateP99)} / ${ms(l.direct.timerLateP99)}`;
  return [
    info('Setup: connect → customer has pairing (median)', ms(r.setup.pairing.p50)),
    info('Setup: handshake CPU in-process, both ends (median)', ms(r.crypto.handshake.p50)),
    info(`Seal + open of one ${r.crypto.frameBytes / 1024} KiB frame in-process (median)`, ms(r.crypto.sealOpen.p50)),
    info(`Missing frames: skipped or queued by the bench / in flight (${load.relay.sessions} sessions)`, `${load.relay.backlog} / ${load.relay.inFlight}`),
    info(`Bench timer lateness p99, relay / direct (${load.relay.sessions} sessions)`, late(load)),
    info(`Bench timer lateness p99, relay / direct (${light.relay.sessions} sessions)`, late(light)),
    info(`Aggregate throughput direct, no relay (${load.direct.sessions} sessions)`, `${load.direct.mibPerSecond.toFixed(1)} MiB/s`),
    info('Other processes on the host: before / during load / during light load', `${pct(r.hostLoadBefore)} / ${pct(load.relay.otherCpuPercent)} / ${pct(light.relay.otherCpuPercent)} of one core`),
    info('Server RSS before / after idle customers', `${r.memory.rssBeforeKiB} KiB / ${r.memory.rssAfterKiB} KiB`),
    info('Run', `${plan.smoke ? 'smoke' : 'full'}, load ${plan.loadSeconds} s after ${plan.loadWarmupMs / 1000} s warm-up, Node ${process.versions.node}`),
  ];
}

export function markdownTable(table: Row[]): string {
  const header: Row = { metric: 'metric', value: 'value', goal: 'goal', met: 'met?' };
  const cols = ['metric', 'value', 'goal', 'met'] as const;
  const width = cols.map((c) => Math.max(3, ...[header, ...table].map((row) => [...row[c]].length)));
  const line = (row: Row) => `| ${cols.map((c, i) => row[c] + ' '.repeat(width[i]! - [...row[c]].length)).join(' | ')} |`;
  return [line(header), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)].join('\n');
}

export const METHOD = `How each figure was measured
- The server is the real \`fernhilfe start\` as a child process (SQLite in a fresh DATA_DIR, LOG_LEVEL=warn, default
  BACKOFF_BASE_MS; MAX_CONNECTIONS_PER_IP raised to 10000 and REGISTRATIONS_PER_MINUTE lifted because every connection comes from 127.0.0.1), with one
  technician made by \`fernhilfe user add\`. Customers and technicians are @fernhilfe/client endpoints over \`ws\` in the
  bench process; every technician connection uses a fresh ticket. Order: warm-up sessions, idle memory, setup,
  throughput, load (relay, then direct), light load (relay, then direct), in-process crypto costs.
- Session setup: from the tech.connect(id, password) call until both SecureSessions were open (broker pairing, CPace,
  key confirmation, AES key import), sessions one after another, each ended before the next. Nearest-rank percentiles.
- Throughput, 1 session: sendData calls of 64 KiB back to back (the session's own backpressure paces them), timed from the
  first call until the customer had opened the last byte. MiB = 2^20 bytes.
- Load: every session sends one 16 KiB frame every 16 ms technician -> customer (both ends of a session in the same
  worker thread, sessions spread over the threads and staggered across the 16 ms; a late timer sends what fell due).
  Each frame carries performance.now() from just before sendData(); the receiver subtracts it from performance.now() on
  delivery, so the one-way time includes the session's send queue, sealing, both WebSocket hops, the relay and opening.
  Latencies count only frames sent after the warm-up. Throughput = payload delivered / (start .. last delivery).
- Frames: expected − received = frames the schedule called for minus frames delivered when a drain of up to 10 s after
  the schedule ended; split into "skipped or queued by the bench" (a session with 128 unwritten frames skips new ones,
  and what is still in its send queue: the bench fell behind) and "in flight". Lost in transit = sequence gaps,
  repeats, and what sessions that ended early never got.
- Baseline and "added by relay": the identical load (same sessions, threads, pacing, duration, SecureSession and
  ServerConnection code, ArrayBuffer receive path) once more, but each technician WebSocket goes straight to a WebSocket
  server in the same worker playing the customer, with random session keys. Added latency = percentile through the
  relay minus the same percentile of the baseline (a difference of percentiles, not a percentile of differences). The
  relay's share therefore includes the server's CPU competing with the bench for the host's cores.
- CPU: utime + stime from /proc/<pid>/stat of the server, process.cpuUsage() of the bench (all threads), and the host's
  busy time from /proc/stat minus both ("other processes"), over the load window, divided by wall time; 100 % = one core.
- Memory per idle customer: VmRSS of the server from /proc/<pid>/status after the warm-up and a 2 s settle, then again
  with N customers registered (CustomerEndpoint.open) and held, after another 2 s settle; (after − before) / N. No GC can
  be forced in the server, so uncollected garbage counts too.
- In-process costs: CPace + key schedule + confirmation tags + AES key import for both ends, and seal + open of one frame,
  on the bench's main thread with nothing else running.`;

/** Where a bench ran, for the head of its results (JSON and Markdown). */
export function runEnvironment(): { node: string; platform: string; cpus: number; cpuModel: string } {
  return { node: process.versions.node, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
}
