import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { connectPair, endPair } from '../client.js';
import { DirectPairs } from './direct-pair.js';
import type { FromWorker, LoadCounts, LoadJob, ToWorker } from './messages.js';
import { PacedStream, type StreamPair } from './paced-stream.js';

/**
 * A load worker: sets up its share of the sessions, says "ready", sends paced frames on "go",
 * reports counts and every frame's one-way time, then ends its sessions.
 */
const job = workerData as LoadJob;
const port = parentPort!;
const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

/** the histogram records the whole interval between its timer's runs: lateness = value - resolution */
const LOOP_RESOLUTION_MS = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setUp(): Promise<{ pairs: StreamPair[]; close(): Promise<void> }> {
  const pairs: StreamPair[] = [];
  if (job.mode === 'direct') {
    const direct = await DirectPairs.listen();
    for (let i = 0; i < job.sessions; i++) pairs.push(await direct.pair());
    return { pairs, close: async () => (await Promise.all(pairs.map((p) => p.close())), direct.close()) };
  }
  for (const url of job.technicianUrls) {
    const pair = await connectPair(job.target!, url);
    pairs.push({ sender: pair.techSession, receiver: pair.customerSession, close: () => endPair(pair) });
  }
  return { pairs, close: async () => void (await Promise.all(pairs.map((p) => p.close().catch(() => undefined)))) };
}

async function main(): Promise<void> {
  const { pairs, close } = await setUp();
  const ended = new Set<StreamPair>();
  let running = true;
  for (const pair of pairs) pair.receiver.on('ended', () => running && ended.add(pair));

  await new Promise<void>((resolve) => {
    port.once('message', (m: ToWorker) => m.type === 'go' && resolve());
    post({ type: 'ready' });
  });

  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const latencies: number[] = [];
  const startAt = performance.now() + 20;
  const endAt = startAt + job.warmupMs + job.durationMs;
  const streams = pairs.map((pair) => new PacedStream(pair, job.chunk, job.intervalMs, latencies, startAt + job.warmupMs));
  loop.enable();
  await Promise.all(streams.map((s, i) => s.run(startAt + ((job.firstIndex + i) / job.totalSessions) * job.intervalMs, endAt)));
  loop.disable();
  const drainUntil = performance.now() + job.drainMs;
  while (performance.now() < drainUntil && !streams.every((s, i) => s.drained || ended.has(pairs[i]!))) await sleep(10);
  running = false;

  const result = Float64Array.from(latencies);
  post({ type: 'result', counts: count(streams, pairs.map((p) => ended.has(p)), startAt, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS), latencies: result }, [result.buffer]);
  await close();
  post({ type: 'closed' });
}

function count(streams: PacedStream[], endedEarly: boolean[], startAt: number, timerLateP99: number): LoadCounts {
  const sum = (f: (s: PacedStream, i: number) => number) => streams.reduce((a, s, i) => a + f(s, i), 0);
  return {
    sessions: streams.length,
    scheduled: sum((s) => s.scheduled),
    sent: sum((s) => s.counts.sent),
    written: sum((s) => s.counts.written),
    received: sum((s) => s.counts.received),
    receivedBytes: sum((s) => s.counts.receivedBytes),
    lostInTransit: sum((s, i) => s.counts.gaps + s.counts.reordered + (endedEarly[i] ? s.counts.written - s.counts.received : 0)),
    sendErrors: sum((s) => s.counts.sendErrors),
    endedEarly: endedEarly.filter(Boolean).length,
    windowMs: Math.max(...streams.map((s) => s.counts.lastReceiveAt)) - startAt,
    timerLateP99: Math.max(0, timerLateP99),
  };
}

main().catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
