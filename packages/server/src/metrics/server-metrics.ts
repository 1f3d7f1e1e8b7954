import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Role } from '@fernhilfe/protocol';

/**
 * The server's Prometheus series (docs/metrics.md). One registry per server (never prom-client's
 * global one), every series labelled with this node's name. Label values come only from the small
 * sets below: never an ID, an address, a login or anything an endpoint sends.
 */

/** Why a sign-in or a technician's WebSocket was refused (the account or address never becomes a label). */
export type SignInFailure = 'wrong_password' | 'wrong_2fa_code' | 'bad_setup_token' | 'bad_ws_ticket';
/** Which limit refused a request or connection. */
export type LimiterName = 'sign_in' | 'password_hashing' | 'connect' | 'registration' | 'connections_per_address' | 'connections';
/**
 * The server cannot read the stream, so it tells a session's path by what it relays: `relayed` when
 * it forwarded one of the session's frames within RELAYED_WITHIN_MS, `not_relayed` otherwise (a
 * direct or TURN path, or nothing to send just then).
 */
export type SessionPath = 'relayed' | 'not_relayed';
export const RELAYED_WITHIN_MS = 10_000;

export const pathOf = (lastRelayedAt: number | undefined, now = Date.now()): SessionPath =>
  lastRelayedAt !== undefined && now - lastRelayedAt <= RELAYED_WITHIN_MS ? 'relayed' : 'not_relayed';

/** What the broker holds right now, read at each scrape. */
export interface SessionSource {
  /** every registration: waiting for a technician, pairing, or an active session with when it last relayed a frame */
  states(): Iterable<{ state: 'waiting' | 'pairing' | 'active'; lastRelayedAt: number | undefined }>;
}

/** The calls the instrumented code makes; each is one counter step. */
export interface MetricsSink {
  registered(): void;
  sessionStarted(): void;
  sessionEnded(path: SessionPath): void;
  relayed(bytes: number, from: Role): void;
  signInFailed(reason: SignInFailure): void;
  refused(limiter: LimiterName): void;
  auditWritten(ok: boolean): void;
}

export class ServerMetrics implements MetricsSink {
  readonly registry = new Registry();
  private source: SessionSource | undefined;
  /** relayed bytes not yet added to the counter: plain sums on the hot path, added at each scrape */
  private readonly pendingRelay: Record<Role, number> = { customer: 0, technician: 0 };
  private readonly registrations: Counter;
  private readonly started: Counter;
  private readonly ended: Counter<'path'>;
  private readonly signInFailures: Counter<'reason'>;
  private readonly refusals: Counter<'limiter'>;
  private readonly auditWrites: Counter<'outcome'>;

  constructor(node: string) {
    this.registry.setDefaultLabels({ node });
    // process and Node.js series: CPU, memory, handles, GC and event-loop delay (nodejs_eventloop_lag_*)
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    const registers = [this.registry];
    const states = () => this.source?.states() ?? [];
    new Gauge({
      name: 'fernhilfe_registrations_waiting',
      help: 'Customer IDs handed out and waiting for a technician (or in a handshake: state="pairing") on this node',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = { waiting: 0, pairing: 0 };
        for (const s of states()) if (s.state !== 'active') counts[s.state]++;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'fernhilfe_sessions_active',
      help: `Authenticated sessions whose home is this node, by path: relayed = the relay forwarded a frame of it within the last ${RELAYED_WITHIN_MS / 1000} s`,
      labelNames: ['path'],
      registers,
      collect() {
        const now = Date.now();
        const counts: Record<SessionPath, number> = { relayed: 0, not_relayed: 0 };
        for (const s of states()) if (s.state === 'active') counts[pathOf(s.lastRelayedAt, now)]++;
        for (const [path, n] of Object.entries(counts)) this.set({ path }, n);
      },
    });
    this.registrations = new Counter({ name: 'fernhilfe_registrations_total', help: 'Customer IDs handed out', registers });
    this.started = new Counter({ name: 'fernhilfe_sessions_started_total', help: 'Sessions authenticated (both ends proved the password)', registers });
    this.ended = new Counter({ name: 'fernhilfe_sessions_ended_total', help: 'Authenticated sessions ended, by their path at the end', labelNames: ['path'], registers });
    const pending = this.pendingRelay;
    new Counter({
      name: 'fernhilfe_relay_bytes_total',
      help: 'End-to-end encrypted bytes the relay forwarded between the two ends of sessions, by direction',
      labelNames: ['direction'],
      registers,
      collect() {
        for (const from of ['customer', 'technician'] as const) {
          this.inc({ direction: from === 'customer' ? 'customer_to_technician' : 'technician_to_customer' }, pending[from]);
          pending[from] = 0;
        }
      },
    });
    this.signInFailures = new Counter({ name: 'fernhilfe_sign_in_failures_total', help: 'Refused sign-ins and technician WebSocket tickets, by reason', labelNames: ['reason'], registers });
    this.refusals = new Counter({ name: 'fernhilfe_limiter_refusals_total', help: 'Requests and connections a limit refused, by limiter', labelNames: ['limiter'], registers });
    this.auditWrites = new Counter({ name: 'fernhilfe_audit_writes_total', help: 'Audit log entries written (outcome="failed": an append that failed)', labelNames: ['outcome'], registers });
    // every labelled series exists from the start (at 0), so rate() and the dashboard see it before the first event
    for (const path of ['relayed', 'not_relayed'] satisfies SessionPath[]) this.ended.inc({ path }, 0);
    for (const reason of ['wrong_password', 'wrong_2fa_code', 'bad_setup_token', 'bad_ws_ticket'] satisfies SignInFailure[]) this.signInFailures.inc({ reason }, 0);
    for (const limiter of ['sign_in', 'password_hashing', 'connect', 'registration', 'connections_per_address', 'connections'] satisfies LimiterName[]) this.refusals.inc({ limiter }, 0);
    for (const outcome of ['ok', 'failed']) this.auditWrites.inc({ outcome }, 0);
  }

  /** The broker whose registrations and sessions the gauges count. */
  watch(source: SessionSource): void {
    this.source = source;
  }

  registered(): void {
    this.registrations.inc();
  }
  sessionStarted(): void {
    this.started.inc();
  }
  sessionEnded(path: SessionPath): void {
    this.ended.inc({ path });
  }
  relayed(bytes: number, from: Role): void {
    this.pendingRelay[from] += bytes;
  }
  signInFailed(reason: SignInFailure): void {
    this.signInFailures.inc({ reason });
  }
  refused(limiter: LimiterName): void {
    this.refusals.inc({ limiter });
  }
  auditWritten(ok: boolean): void {
    this.auditWrites.inc({ outcome: ok ? 'ok' : 'failed' });
  }

  /** The text exposition format, as Prometheus scrapes it. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
