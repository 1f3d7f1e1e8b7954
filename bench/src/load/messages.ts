import type { CustomerTarget } from '../client.js';

/** What the main thread gives a load worker (workerData). */
export interface LoadJob {
  /** through the relay (a real customer + technician via the server) or the direct baseline */
  mode: 'relay' | 'direct';
  /** relay mode: where customers register */
  target?: CustomerTarget;
  /** relay mode: one technician URL (fresh ticket) per session */
  technicianUrls: string[];
  sessions: number;
  /** the index of this worker's first session among all sessions, and the total, to stagger start times */
  firstIndex: number;
  totalSessions: number;
  chunk: number;
  intervalMs: number;
  /** sending before the measured duration: counted for loss, latencies not kept */
  warmupMs: number;
  durationMs: number;
  drainMs: number;
}

export interface LoadCounts {
  sessions: number;
  /** frames the schedule called for */
  scheduled: number;
  /** frames handed to sendData() (the rest were skipped: the session's queue was full) */
  sent: number;
  /** frames sealed and written to the socket when the drain ended */
  written: number;
  received: number;
  receivedBytes: number;
  /** frames that will never arrive: sequence gaps, repeats, and what sessions that ended early did not get */
  lostInTransit: number;
  sendErrors: number;
  /** sessions that ended before the run was over */
  endedEarly: number;
  /** from the start of sending until the last frame arrived, ms */
  windowMs: number;
  /** p99 of how late this thread's timers ran while sending (how busy the bench thread was), ms */
  timerLateP99: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; counts: LoadCounts; latencies: Float64Array }
  | { type: 'closed' }
  | { type: 'error'; message: string };

export type ToWorker = { type: 'go' };
