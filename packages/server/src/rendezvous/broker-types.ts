import type { FilePolicyWire, Role, SessionReport } from '@fernhilfe/protocol';
import type { ClusterPort } from '../cluster/directory.js';
import type { Logger } from '../logger.js';
import type { MetricsSink } from '../metrics/server-metrics.js';
import type { SessionP2p } from '../p2p/index.js';
import type { Endpoint } from '../relay/endpoint.js';
import type { CaseAdmission } from './case-admission.js';
import type { ConnectLimiter } from './limits.js';
import type { LivePairing } from './live-pairing.js';
import type { RegisterLimits } from './register-limits.js';
import type { ResumeStore } from './resume-store.js';

/* The broker's contracts (broker.ts): what it needs, what it reports, and its state per connection. */

/** What the broker reports for the record (the audit trail); no secrets pass through here. */
export interface SessionRecorder {
  /** `receiptToken`: the customer's key to its receipt (sent in `registered`); the recorder keeps only its hash */
  created(r: { customerId: string; termsVersion: string; language: string; capabilities: string[]; customerAddr: string; receiptToken: string }): Promise<string>;
  connected(sessionId: string, technicianUserId: string): Promise<void>;
  failedAttempt(sessionId: string): Promise<void>;
  authenticated(sessionId: string): Promise<void>;
  /** `observed`: what the server itself saw of the session (not what an endpoint claimed) */
  ended(sessionId: string, reason: string, observed?: { relayedBytes: number }): Promise<void>;
  /** the customer made a new password after failed attempts */
  passwordRotated(sessionId: string): Promise<void>;
  /** an endpoint reported a consent or a file transfer (messages/audit.ts) */
  reported(sessionId: string, by: Role, report: SessionReport): Promise<void>;
  /** the session moved to another server node (its home was drained or died; cluster/) */
  moved?(sessionId: string, move: { from: string; to: string; why: 'drained' | 'node-lost' }): Promise<void>;
}

export interface Technician {
  userId: string;
  displayName: string;
  company: string;
}

/**
 * State of one registered customer:
 *   waiting --connect--> pairing --auth-result ok--> active --end--> (retired)
 *   pairing --auth-result failed | technician left | timeout--> waiting
 * In `active` a LivePairing owns both connections (relay, resume after a drop, grace period).
 */
export interface Registration {
  id: string;
  customer: Endpoint;
  sessionId: Promise<string>;
  state: 'waiting' | 'pairing' | 'active';
  tech?: TechnicianConn;
  timer?: NodeJS.Timeout;
  live?: LivePairing;
  /** when the session was authenticated */
  since?: number;
  /** the support case the customer joined (docs/cases.md) */
  caseId?: string;
}

/** A running session on this node, for the admins' live view (live-sessions.ts). */
export interface LocalSession {
  customerId: string;
  technician: { userId: string; displayName: string };
  since: number;
  relayedBytes: number;
  /** when this node last relayed a frame of it (0: never) */
  lastRelayAt: number;
}

export interface TechnicianConn {
  endpoint: Endpoint;
  user: Technician;
  reg?: Registration;
  /** a `connect` is being checked (limits, directory: async) */
  /** the connect requests in progress, chained (see connect()) */
  connecting?: Promise<void>;
}

export interface BrokerOptions {
  termsVersion: () => string;
  limits: ConnectLimiter;
  recorder: SessionRecorder;
  log: Logger;
  pairingTimeoutMs: number;
  /** how long an active session waits for a lost connection to resume (RESUME_GRACE_MS) */
  resumeGraceMs: number;
  /** resume keys of active sessions (memory by default) */
  resumeStore?: ResumeStore;
  /** several nodes (REDIS_URL): the shared ID directory and hand-off to the node holding an ID (cluster/) */
  cluster?: ClusterPort;
  /** the peer-to-peer upgrade's server side (docs/p2p.md) */
  p2p?: SessionP2p;
  /** the operator's file policy, told to both endpoints (FILES_MAX_BYTES, FILES_DIRECTIONS) */
  files?: FilePolicyWire;
  /** a customer connection that neither registers nor resumes within this is closed (REGISTER_TIMEOUT_MS) */
  registerTimeoutMs?: number;
  /** registrations per address and IPv6 /64 (REGISTRATIONS_PER_MINUTE) */
  registerLimits?: RegisterLimits;
  /** reports one side may send per session (REPORTS_PER_SESSION); default 2000 */
  reportsPerSession?: number;
  /** counts registrations, sessions and limit refusals (metrics/) */
  metrics?: Pick<MetricsSink, 'registered' | 'sessionStarted' | 'sessionEnded' | 'refused'>;
  /** support cases: a customer may register by joining one (docs/cases.md) */
  cases?: CaseAdmission;
}
