import type { LoadResult } from '../load/load-phase.js';
import type { Row } from '../report.js';
import type { DatabaseSize } from './database.js';
import type { FloodCounts } from './flood.js';

export interface AbusePlan {
  smoke: boolean;
  runs: number;
  sessions: number;
  seconds: number;
  held: number;
  heldAddresses: number;
  loopAddresses: number;
  /** register -> end attempts per second per loop address, at most */
  loopRatePerAddress: number;
  /** the server's settings that differ from the defaults */
  serverEnv: Record<string, string>;
  /** the bench's own open-file limit (soft), checked against what it needs */
  openFileLimit: number;
}

export interface AbuseRun {
  quiet: LoadResult;
  flood: LoadResult;
  /** the server's RSS high-water over its life (VmHWM), KiB */
  serverRssHighWaterKiB: number;
  dbGrowth: DatabaseSize;
  /** seconds the flood ran (ramp of the held connections + the measured window) */
  floodSeconds: number;
  counts: FloodCounts;
  hostLoadBefore: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
/** the median of the runs, with the range when there are several */
const spread = (values: number[], fmt: (v: number) => string) => (values.length > 1 ? `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})` : fmt(values[0]!));
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const int = (v: number) => String(Math.round(v));
const pct = (v: number | undefined) => `${Math.round(v ?? Number.NaN)} %`;
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const info = (metric: string, value: string): Row => ({ metric, value, goal: '–', met: '–' });

export const GOALS = { memoryMiB: 512, p99Ratio: 2 } as const;

export function abuseRows(plan: AbusePlan, runs: AbuseRun[]): Row[] {
  const all = (f: (r: AbuseRun) => number) => runs.map(f);
  // written by a session and never to arrive (sequence gaps, repeats): what the relay could be blamed for
  const lost = all((r) => r.flood.lostInTransit);
  const ended = all((r) => r.flood.endedEarly + r.quiet.endedEarly);
  const ratio = all((r) => r.flood.latency.p99 / r.quiet.latency.p99);
  const rss = all((r) => r.serverRssHighWaterKiB);
  const sum = (f: (c: FloodCounts) => number) => all((r) => f(r.counts));
  const refused = (r: AbuseRun) => Object.values(r.counts.refused).reduce((a, b) => a + b, 0);
  return [
    info('Runs (median, range in brackets)', String(runs.length)),
    info('Unauthenticated connections held at once (peak)', spread(sum((c) => c.heldPeak), int)),
    info('  of them with a header claiming 1 MiB', spread(sum((c) => c.bigClaims), int)),
    info('Connections opened by the flood / refused at the upgrade', `${spread(sum((c) => c.opened), int)} / ${spread(all(refused), int)}`),
    info(`Register -> end loops from ${plan.loopAddresses} addresses (at most ${plan.loopRatePerAddress}/s each): attempts per second`, spread(all((r) => r.counts.loops.attempts / r.floodSeconds), int)),
    info('  registered', spread(sum((c) => c.loops.registered), int)),
    info('  refused by the registration limit', spread(sum((c) => c.loops.rateLimited), int)),
    info('  refused for a foreign Origin (403)', spread(sum((c) => c.loops.forbidden), int)),
    { metric: 'Server memory, RSS high-water', value: spread(rss.map((k) => k / 1024), (v) => `${Math.round(v)} MiB`), goal: `< ${GOALS.memoryMiB} MiB`, met: yes(Math.max(...rss) < GOALS.memoryMiB * 1024) },
    info(`Real sessions (${plan.sessions}) one-way latency p50, quiet / flood`, `${spread(all((r) => r.quiet.latency.p50), ms)} / ${spread(all((r) => r.flood.latency.p50), ms)}`),
    info('  p99, quiet / flood', `${spread(all((r) => r.quiet.latency.p99), ms)} / ${spread(all((r) => r.flood.latency.p99), ms)}`),
    { metric: '  p99 under flood / p99 quiet', value: spread(ratio, (v) => `${v.toFixed(2)}x`), goal: `<= ${GOALS.p99Ratio}x`, met: yes(median(ratio) <= GOALS.p99Ratio) },
    { metric: 'Real sessions under flood: frames lost (sent, never delivered)', value: spread(lost, int), goal: '0', met: yes(Math.max(...lost) === 0) },
    info('  frames still on their way when the drain ended, quiet / flood', `${spread(all((r) => r.quiet.inFlight), int)} / ${spread(all((r) => r.flood.inFlight), int)}`),
    info('  frames not sent in time (the sending thread fell behind), quiet / flood', `${spread(all((r) => r.quiet.backlog), int)} / ${spread(all((r) => r.flood.backlog), int)} of ${spread(all((r) => r.flood.scheduled), int)}`),
    { metric: 'Real sessions ended early', value: spread(ended, int), goal: '0', met: yes(Math.max(...ended) === 0) },
    info('Database growth during the flood, bytes', spread(all((r) => r.dbGrowth.bytes), int)),
    info('  rows: sessions / audit entries / receipt tokens', `${spread(all((r) => r.dbGrowth.rows.supportSessions), int)} / ${spread(all((r) => r.dbGrowth.rows.auditEntries), int)} / ${spread(all((r) => r.dbGrowth.rows.receiptTokens), int)}`),
    info('  flood duration, s', spread(all((r) => r.floodSeconds), (v) => v.toFixed(0))),
    info('CPU quiet: server / bench / other processes', `${spread(all((r) => r.quiet.serverCpuPercent ?? Number.NaN), pct)} / ${spread(all((r) => r.quiet.benchCpuPercent), pct)} / ${spread(all((r) => r.quiet.otherCpuPercent), pct)}`),
    info('CPU under flood: server / bench (flood + sessions) / other processes', `${spread(all((r) => r.flood.serverCpuPercent ?? Number.NaN), pct)} / ${spread(all((r) => r.flood.benchCpuPercent), pct)} / ${spread(all((r) => r.flood.otherCpuPercent), pct)}`),
    info('  the sending thread\'s timer lateness p99, quiet / flood', `${spread(all((r) => r.quiet.timerLateP99), ms)} / ${spread(all((r) => r.flood.timerLateP99), ms)}`),
    info('Host load before each run (% of one core)', spread(all((r) => r.hostLoadBefore), pct)),
  ];
}

export const ABUSE_METHOD = `## Method

Each run starts a fresh server (\`fernhilfe start\`, SQLite, the defaults except the settings listed above) as a
child process, and measures ${'`'}sessions${'`'} real sessions (customer and technician on the bench's worker threads,
paced 16 KiB frames every 16 ms technician -> customer through the relay, one-way latency per frame) twice: quiet,
then while an unauthenticated flood runs from the bench's main thread. The flood holds idle connections to
\`/ws/customer\` from 127.0.1.x (a third send a 5-byte header claiming a 1 MiB frame and nothing more; the server
closes each after REGISTER_TIMEOUT_MS and the flood opens another) and runs register -> end loops, one per
address 127.0.2.x, each at most \`loopRatePerAddress\` attempts per second (so the attacker's rate, not how much CPU
the bench itself can spend on a 2-core machine, sets the load), every tenth with a foreign Origin. A frame is *lost*
when a session wrote it and it can no longer arrive (a sequence gap or repeat at the receiver: the relay's fault);
one *still on its way* had not arrived when the drain after the window ended; a frame *not sent in time* is one the paced
sender skipped because its own thread fell behind (the host's CPU, not the relay): both are reported. Latency on a
host whose other processes take most of both cores measures that contention as much as the server: read the
"other processes" CPU row beside it. All of 127.0.0.0/8 is on \`lo\`,
so the server sees every address as its own client. Memory is the server's VmHWM (/proc/<pid>/status) over its
whole life; database growth is the SQLite files (with WAL) and rows before and after the flood; CPU is % of one
core. The bench needs an open-file limit above the connections it holds (checked at start; no \`ulimit\` change
was needed here: the soft limit is shown above).`;
