/** How much work each phase does: the full benchmark, or a smoke run that only checks it works. */
export interface BenchPlan {
  smoke: boolean;
  /** wait up to this long for the host to be idle before measuring (other work skews every figure) */
  quietWaitMs: number;
  /** how often a throughput or load measurement is repeated when other processes disturbed it */
  attempts: number;
  /** sessions set up (and ended) before measuring anything, not counted */
  warmupSessions: number;
  /** phase 1: sequential session setups */
  setupSessions: number;
  /** phase 2: one bulk transfer technician -> customer */
  bulkBytes: number;
  bulkChunk: number;
  /** phase 3: concurrent paced sessions (and the same at a light load the bench host can drive) */
  loadSessions: number;
  lightSessions: number;
  loadSeconds: number;
  /** sending before the measured seconds (JIT, buffers), counted for loss but not for latency */
  loadWarmupMs: number;
  /** after the schedule: how long to wait for the last frames */
  drainMs: number;
  loadChunk: number;
  loadIntervalMs: number;
  /** worker threads the paced sessions are spread over (both ends of a session share a thread) */
  loadWorkers: number;
  /** phase 4: idle registered customers held open */
  idleCustomers: number;
  settleMs: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export function benchPlan(smoke: boolean): BenchPlan {
  const common = { smoke, bulkChunk: 64 * KiB, loadChunk: 16 * KiB, loadIntervalMs: 16, settleMs: 2000 };
  return smoke
    ? {
        ...common,
        quietWaitMs: 0,
        attempts: 1,
        warmupSessions: 2,
        setupSessions: 5,
        bulkBytes: 2 * MiB,
        loadSessions: 3,
        lightSessions: 2,
        loadSeconds: 2,
        loadWarmupMs: 200,
        drainMs: 5000,
        loadWorkers: workersFromEnv(1),
        idleCustomers: 20,
      }
    : {
        ...common,
        quietWaitMs: 60_000,
        attempts: 3,
        warmupSessions: 10,
        setupSessions: 200,
        bulkBytes: 64 * MiB,
        loadSessions: 100,
        lightSessions: 20,
        loadSeconds: 20,
        loadWarmupMs: 2000,
        drainMs: 10_000,
        loadWorkers: workersFromEnv(2),
        idleCustomers: 1000,
      };
}

/** BENCH_WORKERS overrides the thread count of phase 3 (to compare 1 against 2). */
function workersFromEnv(fallback: number): number {
  const n = Number(process.env.BENCH_WORKERS);
  return Number.isInteger(n) && n >= 1 && n <= 16 ? n : fallback;
}
