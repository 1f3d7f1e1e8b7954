import {
  customerMessageSchema,
  decodeJson,
  technicianMessageSchema,
  type CustomerMessage,
  type EndReason,
  type Role,
  type SessionReport,
  type TechnicianMessage,
} from '@fernhilfe/protocol';
import { CloseCode, type Endpoint, type EndpointHandlers } from '../relay/endpoint.js';
import type { Logger } from '../logger.js';
import { renewIceServers, type IceRenewal } from '../p2p/ice-renewal.js';
import type { SessionP2p } from '../p2p/index.js';
import { refuse } from './replies.js';
import type { ReportGate } from './report-gate.js';
import type { ResumeStore } from './resume-store.js';

export type Party = Role | 'server';

export interface LivePairingOptions {
  customerId: string;
  graceMs: number;
  store: ResumeStore;
  log: Logger;
  /** ends the whole registration: retires the ID, records the end, then calls close() here */
  end(by: Party, reason: EndReason): void;
  /** an endpoint's report for the audit trail (consents, transfers); the broker records it */
  report(by: Role, report: SessionReport): void;
  /** ICE servers for the peer-to-peer upgrade and the relayed-bytes count (docs/p2p.md) */
  p2p?: SessionP2p;
  /** which reports are believed, and how many (report-gate.ts); without it every report is */
  reports?: ReportGate;
  /**
   * Adopted from a home node that is gone (cluster/): both sides start lost (their grace timers
   * run), paths go on from `path`, and the relayed bytes from `relayedBytes`.
   */
  adopted?: { path: number; relayedBytes: number };
}

interface Side {
  /** undefined while the side's connection is lost */
  endpoint: Endpoint | undefined;
  /** the side sent its resume key: a lost connection waits for it for the grace period */
  resumable: boolean;
  graceTimer?: NodeJS.Timeout;
}

const other = (role: Role): Role => (role === 'customer' ? 'technician' : 'customer');
const DETACHED: EndpointHandlers = { onControl: () => undefined, onPeer: () => undefined, onClose: () => undefined };

/**
 * An authenticated session on the server: relays PEER frames between the two sides, unread, and
 * keeps the pairing when a side's connection drops (docs/protocol.md §8):
 *
 *   attached --connection closes--> lost (peer told `peer-connection-lost`, grace timer runs)
 *   lost --resume proven--> attached (path + 1: `resumed` to it, `peer-reconnected` to the peer)
 *   attached --resume proven (the old connection is half-open)--> attached, the old one is closed
 *   lost --grace timer--> ended for both with `connection-lost`
 *   lost, side never sent a resume key --> ended at once with `peer-disconnected` (as before issue 9)
 *
 * Frames for a lost side are dropped: its peer's retransmit buffer keeps them until it acknowledges.
 */
export class LivePairing {
  private readonly sides: Record<Role, Side>;
  private path = 0;
  private closed = false;
  /** sends both sides fresh TURN credentials before the last ones expire (p2p/ice-renewal.ts) */
  private iceRenewal: IceRenewal | undefined;
  private relayed = 0;
  private relayedAt: number | undefined;

  constructor(
    private readonly opts: LivePairingOptions,
    customer: Endpoint | undefined,
    technician: Endpoint | undefined,
  ) {
    const adopted = opts.adopted;
    this.sides = { customer: { endpoint: customer, resumable: Boolean(adopted) }, technician: { endpoint: technician, resumable: Boolean(adopted) } };
    if (adopted) {
      this.path = adopted.path;
      this.relayed = adopted.relayedBytes;
    }
    for (const role of ['customer', 'technician'] as const) {
      const endpoint = this.sides[role].endpoint;
      if (endpoint) this.wire(role, endpoint);
      else if (adopted) this.sides[role].graceTimer = setTimeout(() => this.opts.end('server', 'connection-lost'), this.opts.graceMs);
    }
  }

  /** Both sides sent their resume keys: the session can move to another node (cluster/). */
  get movable(): boolean {
    return !this.closed && this.sides.customer.resumable && this.sides.technician.resumable;
  }

  /** Reports each side sent so far (the quota goes on at a new home). */
  get reportCounts(): Record<Role, number> {
    return this.opts.reports?.counts ?? { customer: 0, technician: 0 };
  }

  /** Where the session stands, for a new home. */
  get snapshot(): { path: number; relayedBytes: number } {
    return { path: this.path, relayedBytes: this.relayed };
  }

  /**
   * This node is drained and another node takes the session over: nothing is ended or recorded
   * here; both connections are closed with "service restart", so both endpoints resume elsewhere.
   */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    this.iceRenewal?.stop();
    for (const side of Object.values(this.sides)) {
      clearTimeout(side.graceTimer);
      side.endpoint?.attach(DETACHED);
      side.endpoint?.close(CloseCode.serviceRestart, 'this server is restarting; resume through another one');
      side.endpoint = undefined;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** PEER bytes this server relayed between the two sides: its own observation, for the report */
  get relayedBytes(): number {
    return this.relayed;
  }

  /** when the relay last forwarded a PEER frame of this session (Date.now()); metrics/ tells relayed from direct by it */
  get lastRelayedAt(): number | undefined {
    return this.relayedAt;
  }

  /** A connection that proved the side's resume key takes the side over. */
  attach(role: Role, endpoint: Endpoint): void {
    if (this.closed) return;
    const side = this.sides[role];
    const old = side.endpoint;
    if (old) {
      old.attach(DETACHED);
      old.close(CloseCode.normal, 'replaced by a resumed connection');
    }
    clearTimeout(side.graceTimer);
    side.endpoint = endpoint;
    this.wire(role, endpoint);
    this.path++;
    this.opts.store.annotate(this.opts.customerId, { path: this.path });
    const peer = this.sides[other(role)].endpoint;
    this.opts.log.info({ customerId: this.opts.customerId, role, path: this.path, replaced: Boolean(old) }, 'connection resumed');
    endpoint.sendControl({ type: 'resumed', path: this.path, peer: peer ? 'connected' : 'disconnected' });
    peer?.sendControl({ type: 'peer-reconnected', path: this.path });
  }

  /** Called by the broker when the session ends: both attached sides hear why, then are closed. */
  close(by: Party, reason: EndReason): void {
    if (this.closed) return;
    this.closed = true;
    this.iceRenewal?.stop();
    for (const side of Object.values(this.sides)) {
      clearTimeout(side.graceTimer);
      side.endpoint?.sendControl({ type: 'ended', by, reason });
      side.endpoint?.close(CloseCode.normal, reason);
    }
    this.opts.store.end(this.opts.customerId, { by, reason }, this.opts.graceMs).catch((err: unknown) => this.opts.log.error({ err }, 'recording the end for resumes failed'));
  }

  private wire(role: Role, endpoint: Endpoint): void {
    endpoint.attach({
      onControl: (body) => this.onControl(role, endpoint, body),
      onPeer: (body) => {
        const to = this.sides[other(role)].endpoint;
        if (!to) return;
        to.sendPeer(body);
        this.relayed += body.length;
        this.relayedAt = Date.now();
        this.opts.p2p?.relayed(body.length, role);
        to.throttle(endpoint);
      },
      onClose: () => this.onClose(role, endpoint),
      // a link between server nodes that cannot carry the session (cluster/): both hear why
      onFail: (reason) => this.sides[role].endpoint === endpoint && this.opts.end('server', reason),
    });
  }

  private onClose(role: Role, endpoint: Endpoint): void {
    const side = this.sides[role];
    if (this.closed || side.endpoint !== endpoint) return;
    side.endpoint = undefined;
    if (!side.resumable) return this.opts.end(role, 'peer-disconnected');
    this.opts.log.info({ customerId: this.opts.customerId, role, graceMs: this.opts.graceMs }, 'connection lost, waiting for a resume');
    this.sides[other(role)].endpoint?.sendControl({ type: 'peer-connection-lost' });
    side.graceTimer = setTimeout(() => this.opts.end('server', 'connection-lost'), this.opts.graceMs);
  }

  private onControl(role: Role, endpoint: Endpoint, body: Uint8Array): void {
    const msg = role === 'customer' ? decodeJson(customerMessageSchema, body) : decodeJson(technicianMessageSchema, body);
    if (!msg.ok) return endpoint.reject(msg.error);
    const m = msg.value;
    switch (m.type) {
      case 'end':
        return this.opts.end(role, m.reason ?? (role === 'customer' ? 'ended-by-customer' : 'ended-by-technician'));
      case 'resume-key':
        return this.storeKey(role, endpoint, m.publicKey);
      case 'report':
        return this.onReport(role, endpoint, m.report);
      case 'register':
        return refuse(endpoint, 'already-registered', 'this connection already has an ID');
      case 'password-rotated':
      case 'abort':
        return; // nothing to abort or rotate in an active session
      default:
        return this.refuseInSession(endpoint, m);
    }
  }

  /**
   * A report the sender cannot know, or one over the quota, is not recorded: an honest module never
   * sends one, so the session ends as for any message not allowed now (`protocol-error`), and the
   * sender is told why first.
   */
  private onReport(role: Role, endpoint: Endpoint, report: SessionReport): void {
    const refused = this.opts.reports?.check(role, report);
    if (this.opts.reports) this.opts.store.annotate(this.opts.customerId, { reports: this.opts.reports.counts });
    if (refused === undefined) return this.opts.report(role, report);
    this.opts.log.info({ customerId: this.opts.customerId, role, event: report.event, refused }, 'report not recorded, ending the session');
    endpoint.sendControl({ type: 'error', code: 'bad-message', message: `report not recorded: ${refused}` });
    this.opts.end(role, 'protocol-error');
  }

  private refuseInSession(endpoint: Endpoint, m: CustomerMessage | TechnicianMessage): void {
    const why: Partial<Record<(CustomerMessage | TechnicianMessage)['type'], string>> = {
      'auth-result': 'no handshake in progress',
      connect: 'already connected to a customer',
    };
    refuse(endpoint, 'bad-message', why[m.type] ?? `${m.type} is not allowed in a session`);
  }

  private storeKey(role: Role, endpoint: Endpoint, publicKey: string): void {
    const side = this.sides[role];
    if (side.resumable) return refuse(endpoint, 'bad-message', 'the resume key is already set');
    side.resumable = true;
    this.opts.store.setKey(this.opts.customerId, role, publicKey).then(
      (stored) => {
        if (stored && side.endpoint === endpoint) {
          endpoint.sendControl({ type: 'resume-ready', graceMs: this.opts.graceMs });
          const ice = this.opts.p2p?.iceServers(this.opts.customerId, role);
          if (ice) endpoint.sendControl(ice);
          if (ice && !this.closed) this.iceRenewal ??= renewIceServers(ice, (r) => this.sides[r].resumable ? this.sides[r].endpoint : undefined, this.opts.customerId, this.opts.p2p!);
        }
        else if (!stored) side.resumable = false;
      },
      (err: unknown) => {
        side.resumable = false;
        this.opts.log.error({ err }, 'storing a resume key failed');
      },
    );
  }
}
