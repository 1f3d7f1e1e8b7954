import { Worker } from 'node:worker_threads';
import type { BenchClient, CustomerTarget } from '../client.js';
import type { ServerProcess } from '../server-process.js';
import { CpuWindow, type CpuUsage } from '../cpu-window.js';
import { mibPerSecond, summarize, type Summary } from '../stats.js';
import type { FromWorker, LoadCounts, LoadJob, ToWorker } from './messages.js';
import { BenchError } from '../errors.js';

const WORKER = new URL('./worker.js', import.meta.url);
const SETUP_TIMEOUT_MS = 120_000;

export interface LoadOptions {
  mode: LoadJob['mode'];
  sessions: number;
  workers: number;
  chunk: number;
  intervalMs: number;
  warmupMs: number;
  durationMs: number;
  drainMs: number;
  /**
   * Relay mode with several server nodes: where each worker's customers register and where its
   * technicians connect (worker i uses routes[i % length]); default: both on `client`'s server.
   */
  routes?: LoadRoute[];
  /**
   * Start the workers one after the other, each once the previous one has set up its sessions, so a
   * worker's single-use tickets (valid 30 s) are fetched just before it uses them (many sessions).
   */
  sequentialSetup?: boolean;
}

/** One way through the servers: customers register at `customer`, technicians get their URLs from `technicianUrl`. */
export interface LoadRoute {
  customer: CustomerTarget;
  technicianUrl(): Promise<string>;
}

export interface LoadResult {
  mode: LoadJob['mode'];
  sessions: number;
  workers: number;
  /** one-way times of the frames sent after the warm-up, ms */
  latency: Summary;
  /** frames the schedule called for */
  scheduled: number;
  received: number;
  /** scheduled - received when the drain ended */
  missing: number;
  /** of those: skipped or never written by the sending session (the bench fell behind) */
  backlog: number;
  /** of those: written but not arrived yet (in a socket or the relay) */
  inFlight: number;
  /** frames that will never arrive: sequence gaps, repeats, ended sessions */
  lostInTransit: number;
  sendErrors: number;
  endedEarly: number;
  /** payload bytes delivered / (start of sending .. last frame delivered) */
  mibPerSecond: number;
  targetMibPerSecond: number;
  /** % of one core over the load window: the server (relay mode), the bench (all threads), everything else on the host */
  serverCpuPercent: number | undefined;
  benchCpuPercent: number;
  otherCpuPercent: number;
  /** the busiest load thread's p99 timer lateness, ms */
  timerLateP99: number;
}

/**
 * Phase 3: `sessions` sessions at once, each sending paced frames technician -> customer, spread
 * over `workers` threads (both ends of a session in the same thread). In relay mode the sessions go
 * through the server child; in direct mode over a loopback WebSocket without it (the baseline).
 */
export async function runLoad(opts: LoadOptions, client: BenchClient, server: ServerProcess | undefined, hooks: { onGo?(): void; onDone?(): void } = {}): Promise<LoadResult> {
  const workers: LoadWorker[] = [];
  let first = 0;
  try {
    for (const [w, n] of split(opts.sessions, opts.workers).entries()) {
      const route = opts.routes?.[w % opts.routes.length] ?? { customer: client, technicianUrl: () => client.technicianUrl() };
      const technicianUrls: string[] = [];
      if (opts.mode === 'relay') for (let i = 0; i < n; i++) technicianUrls.push(await route.technicianUrl());
      const worker = new LoadWorker({
        mode: opts.mode,
        ...(opts.mode === 'relay' ? { target: { customerUrl: route.customer.customerUrl, termsVersion: route.customer.termsVersion } } : {}),
        technicianUrls,
        sessions: n,
        firstIndex: first,
        totalSessions: opts.sessions,
        chunk: opts.chunk,
        intervalMs: opts.intervalMs,
        warmupMs: opts.warmupMs,
        durationMs: opts.durationMs,
        drainMs: opts.drainMs,
      });
      workers.push(worker);
      if (opts.sequentialSetup) await worker.ready(SETUP_TIMEOUT_MS);
      first += n;
    }
    if (!opts.sequentialSetup) await Promise.all(workers.map((w) => w.ready(SETUP_TIMEOUT_MS)));
    const cpu = new CpuWindow(server);
    hooks.onGo?.();
    const results = await Promise.all(workers.map((w) => w.go(opts.warmupMs + opts.durationMs + opts.drainMs + 30_000)));
    hooks.onDone?.();
    const usage = cpu.end();
    // the sessions end in the workers; one that takes too long is cut off by terminate() below
    await Promise.all(workers.map((w) => w.closed(15_000).catch(() => undefined)));
    return aggregate(opts, results, usage);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function aggregate(opts: LoadOptions, results: { counts: LoadCounts; latencies: Float64Array }[], cpu: CpuUsage): LoadResult {
  const total = (f: (c: LoadCounts) => number) => results.reduce((a, r) => a + f(r.counts), 0);
  const all = new Float64Array(results.reduce((a, r) => a + r.latencies.length, 0));
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  const scheduled = total((c) => c.scheduled);
  const written = total((c) => c.written);
  const received = total((c) => c.received);
  const lostInTransit = total((c) => c.lostInTransit);
  return {
    mode: opts.mode,
    sessions: opts.sessions,
    workers: results.length,
    latency: summarize(all),
    scheduled,
    received,
    missing: scheduled - received,
    backlog: scheduled - written,
    inFlight: Math.max(0, written - received - lostInTransit),
    lostInTransit,
    sendErrors: total((c) => c.sendErrors),
    endedEarly: total((c) => c.endedEarly),
    mibPerSecond: mibPerSecond(total((c) => c.receivedBytes), Math.max(...results.map((r) => r.counts.windowMs))),
    targetMibPerSecond: mibPerSecond(opts.sessions * opts.chunk, opts.intervalMs),
    serverCpuPercent: cpu.server,
    benchCpuPercent: cpu.bench,
    otherCpuPercent: cpu.other,
    timerLateP99: Math.max(...results.map((r) => r.counts.timerLateP99)),
  };
}

function split(total: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/** One worker thread and the few messages it answers with, each awaited with a time limit. */
class LoadWorker {
  private readonly worker: Worker;
  private readonly inbox: FromWorker[] = [];
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(job: LoadJob) {
    this.worker = new Worker(WORKER, { workerData: job });
    this.worker.on('message', (m: FromWorker) => this.deliver(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new BenchError('process', `a load worker exited (code ${code})`)));
  }

  async ready(timeoutMs: number): Promise<void> {
    await this.next('ready', timeoutMs);
  }

  async go(timeoutMs: number): Promise<{ counts: LoadCounts; latencies: Float64Array }> {
    this.worker.postMessage({ type: 'go' } satisfies ToWorker);
    const m = await this.next('result', timeoutMs);
    return { counts: m.counts, latencies: m.latencies };
  }

  async closed(timeoutMs: number): Promise<void> {
    await this.next('closed', timeoutMs);
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private async next<T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const m = this.inbox.shift();
      if (m?.type === 'error') throw new BenchError('process', `load worker: ${m.message}`);
      if (m?.type === type) return m as Extract<FromWorker, { type: T }>;
      if (m) continue;
      if (this.failure) throw this.failure;
      const left = deadline - performance.now();
      if (left <= 0) throw new BenchError('timeout', `a load worker did not report "${type}" within ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiting = () => (clearTimeout(t), resolve());
      });
    }
  }

  private deliver(m: FromWorker): void {
    this.inbox.push(m);
    this.wake();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }
}
