import {
  customerMessageSchema,
  encodeJson,
  isFailedAttempt,
  technicianMessageSchema,
  toHex,
  randomNonce,
  type AttemptEnd,
  type CustomerMessage,
  type EndReason,
  type Role,
  type TechnicianMessage,
  type ToCustomer,
  type ToTechnician,
} from '@fernhilfe/protocol';
import { CloseCode, type Endpoint } from '../relay/endpoint.js';
import { pathOf, type SessionSource } from '../metrics/server-metrics.js';
import { MemoryDirectory, type Directory } from '../cluster/directory.js';
import { beginResume } from '../cluster/resume-routing.js';
import { LivePairing, type Party } from './live-pairing.js';
import { ReportGate } from './report-gate.js';
import { IdRegistry } from './registry.js';
import { dispatchControl, refuse, relayPeer, type Handlers } from './replies.js';
import { ResumeGate, type ResumeAttempt } from './resume-gate.js';
import { MemoryResumeStore, type ResumeRecord, type ResumeStore } from './resume-store.js';
import { goneEndpoint } from './gone-endpoint.js';
import type { BrokerOptions, LocalSession, Registration, Technician, TechnicianConn } from './broker-types.js';

export type { BrokerOptions, LocalSession, SessionRecorder, Technician } from './broker-types.js';

/** What each side is told when an attempt failed: the technician's code (none when it gave up or left itself), the customer's reason. */
const attemptReplies = {
  'wrong-password': { techCode: 'wrong-credentials', customerReason: 'aborted' },
  'gave-up': { techCode: undefined, customerReason: 'aborted' },
  'technician-left': { techCode: undefined, customerReason: 'technician-left' },
  timeout: { techCode: 'timeout', customerReason: 'timeout' },
} as const satisfies Record<Exclude<AttemptEnd, 'unknown-id'>, { techCode: 'wrong-credentials' | 'timeout' | undefined; customerReason: 'technician-left' | 'timeout' | 'aborted' }>;

export class Broker implements SessionSource {
  private readonly registry = new IdRegistry<Registration>();
  private readonly resumeStore: ResumeStore;
  private readonly resumes: ResumeGate;
  private readonly directory: Directory;
  /** every technician connection on this node (the console's, in a session or not) */
  private readonly technicians = new Set<TechnicianConn>();

  constructor(private readonly opts: BrokerOptions) {
    this.directory = opts.cluster?.directory ?? new MemoryDirectory();
    this.resumeStore = opts.resumeStore ?? new MemoryResumeStore();
    this.resumes = new ResumeGate({ store: this.resumeStore, live: (id) => this.registry.get(id)?.live, log: opts.log, ...(opts.cluster?.adopt ? { adopt: (record) => this.adopt(record) } : {}) });
  }

  get liveRegistrations(): number {
    return this.registry.size;
  }

  /** Each registration's state, and when an active session last relayed a frame (metrics/ reads it at a scrape). */
  *states(): Iterable<{ state: Registration['state']; lastRelayedAt: number | undefined }> {
    for (const reg of this.registry.values()) yield { state: reg.state, lastRelayedAt: reg.live?.lastRelayedAt };
  }

  sweep(): void {
    this.registry.sweep();
    this.opts.limits.sweep();
    this.opts.registerLimits?.sweep();
  }

  addCustomer(endpoint: Endpoint): void {
    let reg: Registration | undefined;
    let resume: ResumeAttempt | undefined;
    let claiming = false;
    // a connection that only sits there holds memory and a socket: it must register or resume soon
    const timeoutMs = this.opts.registerTimeoutMs;
    const idle = timeoutMs === undefined ? undefined : setTimeout(() => {
      if (!reg && !claiming && !resume) endpoint.close(CloseCode.policy, `no registration within ${Math.ceil(timeoutMs / 1000)} s; please connect again`);
    }, timeoutMs);
    const handlers = {
      register: (m) => {
        if (reg || claiming) return this.refuse(endpoint, 'already-registered', 'this connection already has an ID');
        if (resume) return this.refuse(endpoint, 'bad-message', 'this connection is resuming a session');
        if (m.termsVersion !== this.opts.termsVersion()) {
          return this.refuse(endpoint, 'terms-outdated', 'the terms have changed; please read and accept them again');
        }
        const wait = this.opts.registerLimits?.take(endpoint.ip) ?? 0;
        if (wait > 0) {
          this.opts.metrics?.refused('registration');
          const message = `too many new IDs from your address; please try again in ${Math.ceil(wait / 1000)} s`;
          endpoint.sendControl({ type: 'error', code: 'rate-limited', message, retryAfterMs: wait });
          return endpoint.close(CloseCode.policy, message);
        }
        // the ID is claimed in the directory first (with several nodes: in Redis, atomically)
        claiming = true;
        const caseJoin = m.case;
        const cases = this.opts.cases;
        const refuseCase = (retryAfterMs: number) => {
          claiming = false;
          const message = 'this support code is not valid (wrong, used or expired)';
          endpoint.sendControl({ type: 'error', code: 'case-refused', message, retryAfterMs });
          endpoint.close(CloseCode.policy, message);
        };
        if (caseJoin && !cases) return refuseCase(0);
        void (async () => {
          if (caseJoin && cases) {
            const wait = await cases.wait(caseJoin, endpoint.ip);
            if (wait > 0) return (this.opts.metrics?.refused('connect'), refuseCase(wait));
          }
          const id = await this.registry.reserve((candidate) => this.directory.claim(candidate));
          let technician: string | undefined;
          if (caseJoin && cases && endpoint.isOpen) {
            const admitted = await cases.admit(caseJoin, id, endpoint.ip);
            if (!admitted.ok) return (this.registry.release(id), this.directory.retire(id), refuseCase(admitted.retryAfterMs));
            technician = admitted.technician;
          }
          claiming = false;
          if (!endpoint.isOpen) {
            if (caseJoin) void cases?.left(caseJoin.id, id).catch(() => undefined);
            return (this.registry.release(id), this.directory.retire(id));
          }
          const receipt = toHex(randomNonce(32));
          reg = this.registry.put(id, {
            id,
            customer: endpoint,
            state: 'waiting',
            sessionId: this.opts.recorder.created({ customerId: id, termsVersion: m.termsVersion, language: m.language, capabilities: m.capabilities, customerAddr: endpoint.ip, receiptToken: receipt }),
            ...(caseJoin ? { caseId: caseJoin.id } : {}),
          });
          reg.sessionId.catch((err: unknown) => this.opts.log.error({ err }, 'recording a new session failed'));
          this.opts.log.info({ customerId: reg.id, ...(caseJoin ? { caseId: caseJoin.id } : {}) }, 'customer registered');
          this.opts.metrics?.registered();
          this.toCustomer(reg, { type: 'registered', id: reg.id, receipt, ...(this.opts.files ? { files: this.opts.files } : {}), ...(technician !== undefined ? { case: { technician: technician || '-' } } : {}) });
        })().catch((err: unknown) => {
          claiming = false;
          this.opts.log.error({ err }, 'claiming a customer ID failed');
          endpoint.close(CloseCode.internal, 'no customer ID could be given out; please try again');
        });
      },
      'auth-result': (m) => {
        if (!reg || reg.state !== 'pairing' || !reg.tech) return this.refuse(endpoint, 'bad-message', 'no handshake in progress');
        if (m.ok) this.activate(reg);
        else this.failAttempt(reg, 'wrong-password');
      },
      'password-rotated': () => {
        if (!reg) return;
        this.opts.log.info({ customerId: reg.id }, 'customer rotated its password after failed attempts');
        this.record(reg, (sid) => this.opts.recorder.passwordRotated(sid), 'a password rotation');
      },
      report: () => this.refuse(endpoint, 'bad-message', 'reports belong to an active session'),
      end: (m) => {
        if (reg) this.end(reg, 'customer', m.reason ?? 'ended-by-customer');
        else endpoint.close(CloseCode.normal, 'ended');
      },
      'resume-key': () => this.refuse(endpoint, 'bad-message', 'no session on this connection'),
      resume: (m) => {
        if (reg || resume) return this.refuse(endpoint, 'bad-message', 'resume must be the first message');
        resume = beginResume(this.routing, endpoint, m, { role: 'customer' });
      },
      'resume-proof': (m) => {
        if (!resume) return this.refuse(endpoint, 'bad-message', 'no resume in progress');
        resume.prove(m.signature);
      },
    } satisfies Handlers<CustomerMessage>;

    endpoint.attach({
      onControl: dispatchControl(endpoint, customerMessageSchema, handlers),
      onPeer: (body) => relayPeer(endpoint, reg?.tech && reg.state !== 'waiting' ? reg.tech.endpoint : undefined, body),
      onClose: () => {
        clearTimeout(idle);
        resume?.cancel();
        if (reg) this.end(reg, 'customer', reg.state === 'active' ? 'peer-disconnected' : 'ended-by-customer');
      },
    });
  }

  addTechnician(endpoint: Endpoint, user: Technician): void {
    const tech: TechnicianConn = { endpoint, user };
    this.technicians.add(tech);
    let resume: ResumeAttempt | undefined;
    const handlers = {
      connect: (m) => (resume ? this.refuse(endpoint, 'bad-message', 'this connection is resuming a session') : void this.connect(tech, m.id)),
      // the technician gave up (e.g. the customer's confirmation was wrong): a failed attempt like any other
      abort: () => {
        if (tech.reg?.state === 'pairing') this.failAttempt(tech.reg, 'gave-up');
      },
      end: (m) => {
        if (tech.reg) this.end(tech.reg, 'technician', m.reason ?? 'ended-by-technician');
        endpoint.close(CloseCode.normal, 'ended');
      },
      'resume-key': () => this.refuse(endpoint, 'bad-message', 'no session on this connection'),
      report: () => this.refuse(endpoint, 'bad-message', 'reports belong to an active session'),
      // a fresh ticket of the same account takes the technician's side of a session back
      resume: (m) => {
        if (tech.reg || resume) return this.refuse(endpoint, 'bad-message', 'resume must be the first message');
        resume = beginResume(this.routing, endpoint, m, { role: 'technician', user }, user.userId);
      },
      'resume-proof': (m) => {
        if (!resume) return this.refuse(endpoint, 'bad-message', 'no resume in progress');
        resume.prove(m.signature);
      },
    } satisfies Handlers<TechnicianMessage>;

    endpoint.attach({
      onControl: dispatchControl(endpoint, technicianMessageSchema, handlers),
      onPeer: (body) => relayPeer(endpoint, tech.reg && tech.reg.state !== 'waiting' ? tech.reg.customer : undefined, body),
      onClose: () => {
        this.technicians.delete(tech);
        resume?.cancel();
        const reg = tech.reg;
        if (!reg) return;
        if (reg.state === 'active') this.end(reg, 'technician', 'peer-disconnected');
        else this.failAttempt(reg, 'technician-left');
      },
    });
  }

  /** Runs a recorder call once the session row exists; a failure is logged, never thrown at a connection. */
  private record(reg: Registration, call: (sessionId: string) => Promise<void>, what: string): void {
    reg.sessionId.then(call).catch((err: unknown) => this.opts.log.error({ err }, `recording ${what} failed`));
  }

  /** The accounts with a technician connection on this node now. */
  connectedTechnicians(): Set<string> {
    return new Set([...this.technicians].map((t) => t.user.userId));
  }

  /** The authenticated sessions on this node. */
  sessions(): LocalSession[] {
    const out: LocalSession[] = [];
    for (const reg of this.registry.values()) {
      if (reg.state !== 'active' || !reg.tech || !reg.live) continue;
      const { userId, displayName } = reg.tech.user;
      out.push({ customerId: reg.id, technician: { userId, displayName }, since: reg.since ?? 0, relayedBytes: reg.live.relayedBytes, lastRelayAt: reg.live.lastRelayedAt ?? 0 });
    }
    return out;
  }

  /** An admin ends the session with this customer ID on this node: both ends hear `reason`. False when it is not here. */
  endSession(customerId: string, reason: EndReason): boolean {
    const reg = this.registry.get(customerId);
    if (!reg || reg.state !== 'active') return false;
    this.end(reg, 'server', reason);
    return true;
  }

  /**
   * The technician's account was disabled: every session of it on this node ends (both ends hear
   * `reason`), a pairing in progress is abandoned, and every connection of it is closed. Returns how
   * many sessions ended.
   */
  endTechnician(userId: string, reason: EndReason): number {
    let ended = 0;
    for (const tech of [...this.technicians]) {
      if (tech.user.userId !== userId) continue;
      const reg = tech.reg;
      if (reg?.state === 'active') {
        this.end(reg, 'server', reason);
        ended++;
      }
      if (tech.endpoint.isOpen) tech.endpoint.close(CloseCode.policy, reason);
    }
    // a session whose technician's connection is lost (waiting for a resume) has no connection here
    for (const reg of this.registry.values()) {
      if (reg.state === 'active' && reg.tech?.user.userId === userId) {
        this.end(reg, 'server', reason);
        ended++;
      }
    }
    if (ended > 0) this.opts.log.info({ technician: userId, reason, sessions: ended }, 'sessions of a technician ended');
    return ended;
  }

  /**
   * Drain (cluster/): every session whose both sides can resume is let go in Redis and its
   * connections are closed with "service restart", so that both ends resume through another node,
   * which adopts it; nothing is ended or recorded here. Returns the customer IDs let go.
   */
  async releaseSessions(): Promise<string[]> {
    const release = this.opts.cluster?.release?.bind(this.opts.cluster);
    if (!release) return [];
    const moving = [...this.registry.values()].filter((reg) => reg.state === 'active' && reg.live?.movable);
    const released = await Promise.all(
      moving.map(async (reg) => {
        const live = reg.live!;
        try {
          await release(reg.id, { ...live.snapshot, reports: live.reportCounts, sessionId: await reg.sessionId });
        } catch (err) {
          this.opts.log.error({ err, customerId: reg.id }, 'letting a session go failed; it ends here');
          return undefined;
        }
        this.registry.retire(reg.id);
        if (reg.tech) reg.tech.reg = undefined;
        live.release();
        return reg.id;
      }),
    );
    const ids = released.filter((id): id is string => id !== undefined);
    this.opts.log.info({ sessions: ids.length }, 'sessions let go for another node');
    return ids;
  }

  /**
   * A side of a session whose home node is gone proved its key here: this node becomes the home
   * (atomically in Redis), with both sides lost until they resume. `retry`: another node holds it.
   */
  private async adopt(record: ResumeRecord): Promise<LivePairing | 'retry' | undefined> {
    const ctx = record.context;
    const id = record.customerId;
    const cluster = this.opts.cluster;
    if (!cluster?.adopt || !ctx?.sessionId || !record.keys.customer || !record.keys.technician) return undefined;
    const here = () => this.registry.get(id)?.live;
    if (here()) return here();
    const result = await cluster.adopt(id, ctx.home);
    if (result !== 'adopted') return result === 'elsewhere' ? 'retry' : undefined;
    if (here()) return here(); // the other side came first, on this node
    const sessionId = ctx.sessionId;
    const gone = goneEndpoint(this.opts.log);
    const reg: Registration = { id, customer: gone, sessionId: Promise.resolve(sessionId), state: 'active', since: ctx.since };
    reg.tech = { endpoint: gone, user: ctx.technician, reg };
    reg.live = this.pairing(reg, undefined, undefined, { adopted: { path: ctx.path ?? 0, relayedBytes: ctx.relayedBytes ?? 0 }, reports: ctx.reports });
    this.registry.put(id, reg);
    const why = ctx.released ? 'drained' : 'node-lost';
    this.opts.log.info({ customerId: id, from: ctx.home, why }, 'session adopted from another node');
    this.record(reg, (sid) => this.opts.recorder.moved?.(sid, { from: ctx.home, to: cluster.nodeId ?? '', why }) ?? Promise.resolve(), 'a move');
    return reg.live;
  }

  /** Ends every session, e.g. on shutdown. */
  closeAll(): void {
    for (const reg of this.registry.values()) this.end(reg, 'server', 'server-shutdown');
  }

  private get routing() {
    return { resumes: this.resumes, cluster: this.opts.cluster, isLocal: (id: string) => this.registry.get(id) !== undefined, log: this.opts.log };
  }

  /** Connect requests of one connection are handled one after the other, in the order they came. */
  private connect(tech: TechnicianConn, id: string): Promise<void> {
    tech.connecting = (tech.connecting ?? Promise.resolve())
      .then(() => this.connectNow(tech, id))
      .catch((err: unknown) => this.opts.log.error({ err }, 'a connect request failed'));
    return tech.connecting;
  }

  private async connectNow(tech: TechnicianConn, id: string): Promise<void> {
    if (!tech.endpoint.isOpen) return;
    if (tech.reg) return this.refuse(tech.endpoint, 'bad-message', 'already connected to a customer');
    const { limits } = this.opts;
    const { userId } = tech.user;
    const ip = tech.endpoint.ip;
    try {
      const wait = await limits.retryAfter(id, userId, ip);
      if (!tech.endpoint.isOpen) return;
      if (wait > 0) {
        this.opts.metrics?.refused('connect');
        return this.toTechnician(tech, { type: 'connect-failed', code: 'rate-limited', retryAfterMs: wait });
      }
      if (!this.registry.get(id)) {
        const where = this.registry.isRetired(id) ? 'retired' : await this.directory.locate(id);
        if (!tech.endpoint.isOpen) return;
        // another node holds the customer: the technician's connection is forwarded there, unread
        if (typeof where === 'object' && this.opts.cluster) return this.opts.cluster.handOff(tech.endpoint, where.node, { role: 'technician', user: tech.user }, encodeJson({ type: 'connect', id }));
        if (where === 'retired') return this.toTechnician(tech, { type: 'connect-failed', code: 'customer-left' });
        // an unknown ID counts like a wrong password, so IDs cannot be probed faster than passwords
        if (isFailedAttempt('unknown-id', 'server')) await limits.recordFailure(id, userId, ip);
        return this.toTechnician(tech, { type: 'connect-failed', code: 'wrong-credentials', retryAfterMs: await limits.retryAfter(id, userId, ip) });
      }
    } catch (err) {
      this.opts.log.error({ err }, 'checking a connect failed');
      return this.toTechnician(tech, { type: 'connect-failed', code: 'rate-limited', retryAfterMs: 1000 });
    }
    const reg = this.registry.get(id);
    if (!reg || tech.reg) return this.toTechnician(tech, { type: 'connect-failed', code: 'customer-left' });
    if (reg.state !== 'waiting') return this.toTechnician(tech, { type: 'connect-failed', code: 'busy' });
    const nonce = toHex(randomNonce(16));
    reg.state = 'pairing';
    reg.tech = tech;
    tech.reg = reg;
    reg.timer = setTimeout(() => this.failAttempt(reg, 'timeout'), this.opts.pairingTimeoutMs);
    this.opts.log.info({ customerId: id, technician: tech.user.userId }, 'pairing');
    void reg.sessionId.then((sid) => this.opts.recorder.connected(sid, tech.user.userId)).catch((err: unknown) => this.opts.log.error({ err }, 'recording connect failed'));
    this.toCustomer(reg, { type: 'pairing', nonce, technician: { displayName: tech.user.displayName, company: tech.user.company } });
    this.toTechnician(tech, { type: 'pairing', nonce, id, ...(this.opts.files ? { files: this.opts.files } : {}) });
  }

  private activate(reg: Registration): void {
    clearTimeout(reg.timer);
    reg.state = 'active';
    reg.since = Date.now();
    const tech = reg.tech!;
    // from here on the pairing owns both connections: relay, resume after a drop, grace period
    reg.live = this.pairing(reg, reg.customer, tech.endpoint);
    this.resumeStore.create(reg.id, tech.user.userId, { home: this.opts.cluster?.nodeId ?? 'local', technician: tech.user, since: reg.since }).catch((err: unknown) => this.opts.log.error({ err }, 'recording resume state failed'));
    void reg.sessionId.then((sessionId) => this.resumeStore.annotate(reg.id, { sessionId }), () => undefined);
    this.opts.limits.recordSuccess(reg.id).catch((err: unknown) => this.opts.log.error({ err }, 'clearing the back-off failed'));
    this.opts.log.info({ customerId: reg.id }, 'session authenticated');
    this.opts.metrics?.sessionStarted();
    void reg.sessionId.then((sid) => this.opts.recorder.authenticated(sid)).catch((err: unknown) => this.opts.log.error({ err }, 'recording authentication failed'));
  }

  /** The live pairing of an authenticated (or adopted) session. */
  private pairing(reg: Registration, customer: Endpoint | undefined, technician: Endpoint | undefined, moved?: { adopted: { path: number; relayedBytes: number }; reports: Record<Role, number> | undefined }): LivePairing {
    return new LivePairing(
      {
        customerId: reg.id,
        graceMs: this.opts.resumeGraceMs,
        store: this.resumeStore,
        log: this.opts.log,
        end: (by, reason) => this.end(reg, by, reason),
        report: (by, report) => this.record(reg, (sid) => this.opts.recorder.reported(sid, by, report), 'a report'),
        ...(this.opts.p2p ? { p2p: this.opts.p2p } : {}),
        reports: new ReportGate({ quota: this.opts.reportsPerSession ?? 2000, files: this.opts.files, ...(moved?.reports ? { sent: moved.reports } : {}) }),
        ...(moved ? { adopted: moved.adopted } : {}),
      },
      customer,
      technician,
    );
  }

  /** A handshake that did not end in a session (a failed attempt, protocol's attempts.ts): counts for the back-off, the customer waits again. */
  private failAttempt(reg: Registration, end: Exclude<AttemptEnd, 'unknown-id'>): void {
    const tech = reg.tech;
    if (reg.state !== 'pairing' || !tech || !isFailedAttempt(end, 'server')) return;
    const { techCode, customerReason } = attemptReplies[end];
    const { limits } = this.opts;
    const counted = limits.recordFailure(reg.id, tech.user.userId, tech.endpoint.ip);
    void reg.sessionId.then((sid) => this.opts.recorder.failedAttempt(sid)).catch((err: unknown) => this.opts.log.error({ err }, 'recording a failed attempt failed'));
    this.opts.log.info({ customerId: reg.id, technician: tech.user.userId }, 'authentication attempt failed');
    if (techCode) {
      // told once the failure counts everywhere, so that the retry it waits for is allowed
      counted
        .then(() => limits.retryAfter(reg.id, tech.user.userId, tech.endpoint.ip))
        .then((retryAfterMs) => this.toTechnician(tech, { type: 'connect-failed', code: techCode, retryAfterMs }))
        .catch((err: unknown) => this.opts.log.error({ err }, 'counting a failed attempt failed'));
    } else counted.catch((err: unknown) => this.opts.log.error({ err }, 'counting a failed attempt failed'));
    this.unpair(reg, customerReason);
  }

  private unpair(reg: Registration, reason: 'technician-left' | 'timeout' | 'aborted'): void {
    clearTimeout(reg.timer);
    if (reg.tech) reg.tech.reg = undefined;
    reg.tech = undefined;
    reg.state = 'waiting';
    this.toCustomer(reg, { type: 'pairing-aborted', reason });
  }

  private end(reg: Registration, by: Party, reason: EndReason): void {
    if (this.registry.get(reg.id) !== reg) return;
    clearTimeout(reg.timer);
    this.registry.retire(reg.id);
    this.directory.retire(reg.id);
    const tech = reg.tech;
    if (tech) tech.reg = undefined;
    if (reg.live) {
      // an active session: each side that is attached hears why; resume keys are forgotten
      reg.live.close(by, reason);
      this.opts.metrics?.sessionEnded(pathOf(reg.live.lastRelayedAt));
    } else {
      if (tech) this.toTechnician(tech, { type: 'connect-failed', code: 'customer-left' });
      this.toCustomer(reg, { type: 'ended', by, reason });
      reg.customer.close(CloseCode.normal, reason);
    }
    this.opts.log.info({ customerId: reg.id, by, reason }, 'session ended');
    if (reg.caseId) this.opts.cases?.left(reg.caseId, reg.id).catch((err: unknown) => this.opts.log.error({ err }, 'recording the end of a case failed'));
    const observed = { relayedBytes: reg.live?.relayedBytes ?? 0 };
    void reg.sessionId.then((sid) => this.opts.recorder.ended(sid, `${by}:${reason}`, observed)).catch((err: unknown) => this.opts.log.error({ err }, 'recording the end failed'));
  }

  private refuse(endpoint: Endpoint, code: 'bad-message' | 'already-registered' | 'terms-outdated', message: string): void {
    refuse(endpoint, code, message);
  }

  private toCustomer(reg: Registration, msg: ToCustomer): void {
    reg.customer.sendControl(msg);
  }

  private toTechnician(tech: TechnicianConn, msg: ToTechnician): void {
    tech.endpoint.sendControl(msg);
  }
}
