import { P2P_MAX_ATTEMPT, type ControlMessage, type P2pCloseReason, type Role } from '@fernhilfe/protocol';
import { ServerConnection } from '../connection.js';
import { Emitter } from '@fernhilfe/protocol';
import type { SecureSession } from '../secure-session.js';
import { dataChannelTransport } from './data-channel-transport.js';
import { PeerAttempt, type P2pSignal, type PeerConnectionClass } from './peer-attempt.js';
import type { RouteEvents, RouteSwitch } from './route-switch.js';

/** What the people see: the session goes straight between them, through the TURN server, or through our server. */
export type SessionPath = 'relayed' | 'direct' | 'turn';

export interface DirectUpgradeOptions {
  role: Role;
  routes: RouteSwitch;
  /** sends a signalling message to the peer inside the encrypted session */
  send(msg: P2pSignal): Promise<void>;
  /** the RTCPeerConnection class; undefined = this endpoint cannot go direct (the session stays relayed) */
  PeerConnection: PeerConnectionClass | undefined;
  /** an attempt's channel must open within this long (default 15 s) */
  openTimeoutMs?: number;
  /** the technician's waits before attempts 2, 3, … after one failed or broke (default 10 s, 60 s, 5 min) */
  retryDelaysMs?: readonly number[];
  /** the customer waits this long for its ICE servers when an offer comes first (default 3 s) */
  iceWaitMs?: number;
}

export interface DirectUpgradeEvents extends Record<string, unknown> {
  path: { path: SessionPath };
  /** an attempt ended without (or after) a working direct channel; for logs and tests */
  'attempt-ended': { attempt: number; reason: P2pCloseReason; detail?: string };
}

export const isP2pSignal = (m: ControlMessage): m is P2pSignal => m.type.startsWith('p2p-');

/**
 * The peer-to-peer upgrade of one session (docs/p2p.md). The technician offers attempts (1, 2, …),
 * the customer answers; offer, answer and candidates travel inside the encrypted session. When an
 * attempt's data channel opens it is handed to the RouteSwitch, which moves the stream onto it and back
 * to the relay when it breaks. Per attempt:
 *
 *   (technician) idle --ICE servers known / retry timer--> negotiating(k) --channel open--> direct(k)
 *   negotiating(k) --timeout, failed, p2p-close--> idle (retry after a wait)
 *   direct(k) --broken, route given up--> idle (retry after a wait)
 *   any --peer says unsupported / session ended--> stopped
 */
export class DirectUpgrade extends Emitter<DirectUpgradeEvents> {
  private current: PeerAttempt | undefined;
  private lastAttempt = 0;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private pathValue: SessionPath = 'relayed';
  private readonly offs: (() => void)[] = [];

  private readonly handlers = {
    'p2p-offer': (m) => void this.onOffer(m),
    'p2p-answer': (m) => void this.find(m.attempt)?.handleAnswer(m.sdp),
    'p2p-candidate': (m) => void this.find(m.attempt)?.handleCandidate(m),
    'p2p-close': (m) => this.onPeerClose(m.attempt, m.reason),
  } satisfies { [K in P2pSignal['type']]: (m: Extract<P2pSignal, { type: K }>) => void };

  constructor(private readonly opts: DirectUpgradeOptions) {
    super();
    this.offs.push(opts.routes.on('route', (r) => this.onRoute(r)));
    // renewed TURN credentials (every half of their lifetime): a live connection takes them; new attempts read them anyway
    this.offs.push(opts.routes.on('ice-servers', (m) => this.current?.updateIceServers(m.iceServers)));
    if (opts.role === 'technician' && opts.PeerConnection) {
      // the server sends the ICE servers with resume-ready; without them (P2P off) nothing is tried.
      // Only the first message starts an attempt: a renewal is no reason to try again.
      if (opts.routes.iceServers) this.schedule(0);
      else {
        const off = opts.routes.on('ice-servers', () => {
          off();
          this.schedule(0);
        });
        this.offs.push(off);
      }
    }
  }

  get path(): SessionPath {
    return this.pathValue;
  }

  /** A p2p-* control message from the peer. */
  handleMessage(msg: P2pSignal): void {
    if (this.stopped) return;
    (this.handlers[msg.type] as (m: P2pSignal) => void)(msg);
  }

  /** The session ended: no more attempts, the direct channel closes. */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const off of this.offs) off();
    this.current?.close();
    this.current = undefined;
  }

  private find(attempt: number): PeerAttempt | undefined {
    return this.current?.attempt === attempt ? this.current : undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.opts.role !== 'technician' || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.startAttempt();
    }, delayMs);
  }

  private retryLater(): void {
    const delay = (this.opts.retryDelaysMs ?? [10_000, 60_000, 300_000])[this.retries++];
    if (delay !== undefined) this.schedule(delay);
  }

  private startAttempt(): void {
    if (this.stopped || this.current || this.lastAttempt >= P2P_MAX_ATTEMPT || !this.opts.PeerConnection) return;
    const attempt = this.begin(++this.lastAttempt, 'offerer');
    void attempt.offer();
  }

  private async onOffer(m: Extract<P2pSignal, { type: 'p2p-offer' }>): Promise<void> {
    if (this.opts.role !== 'customer' || m.attempt <= this.lastAttempt) return;
    this.lastAttempt = m.attempt;
    if (!this.opts.PeerConnection) return this.signal({ type: 'p2p-close', attempt: m.attempt, reason: 'unsupported' });
    this.end(this.current, 'closed');
    const attempt = this.begin(m.attempt, 'answerer');
    if (!this.opts.routes.iceServers) await waitFor(this.opts.routes, this.opts.iceWaitMs ?? 3000);
    if (this.current === attempt) await attempt.handleOffer(m.sdp);
  }

  private begin(k: number, role: 'offerer' | 'answerer'): PeerAttempt {
    const attempt = new PeerAttempt({
      attempt: k,
      role,
      PeerConnection: this.opts.PeerConnection!,
      iceServers: () => this.opts.routes.iceServers?.iceServers ?? [],
      timeoutMs: this.opts.openTimeoutMs ?? 15_000,
    });
    this.current = attempt;
    attempt.on('signal', (msg) => this.signal(msg));
    attempt.on('open', (dc) => {
      if (this.current !== attempt) return dc.close();
      this.opts.routes.attachDirect(k, new ServerConnection(dataChannelTransport(dc), this.opts.role));
    });
    attempt.on('failed', ({ reason, detail }) => {
      if (this.current !== attempt) return;
      this.current = undefined;
      this.opts.routes.dropDirect(k);
      this.signal({ type: 'p2p-close', attempt: k, reason });
      this.emit('attempt-ended', { attempt: k, reason, ...(detail ? { detail } : {}) });
      this.retryLater();
    });
    return attempt;
  }

  private onPeerClose(k: number, reason: P2pCloseReason): void {
    if (reason === 'unsupported' && this.opts.role === 'technician') {
      this.stopped = true; // the customer cannot go direct: stay relayed, ask no more
      clearTimeout(this.retryTimer);
    }
    const attempt = this.find(k);
    if (!attempt) return;
    this.end(attempt, reason);
    this.retryLater();
  }

  /** The RouteSwitch moved the stream: show it, and drop an attempt it gave up. */
  private onRoute(r: RouteEvents['route']): void {
    if (r.via === 'relay') {
      const given = r.attempt !== undefined ? this.find(r.attempt) : undefined;
      if (given) {
        this.end(given, 'broken');
        this.retryLater();
      }
      return this.setPath('relayed');
    }
    if (!r.established) return;
    const attempt = r.attempt !== undefined ? this.find(r.attempt) : undefined;
    void attempt?.kind().then((kind) => {
      if (this.current === attempt && this.opts.routes.via === 'direct') this.setPath(kind ?? 'direct');
    });
  }

  private end(attempt: PeerAttempt | undefined, reason: P2pCloseReason): void {
    if (!attempt) return;
    if (this.current === attempt) this.current = undefined;
    attempt.close();
    this.opts.routes.dropDirect(attempt.attempt);
    this.emit('attempt-ended', { attempt: attempt.attempt, reason });
  }

  private signal(msg: P2pSignal): void {
    if (!this.stopped) void this.opts.send(msg).catch(() => undefined);
  }

  private setPath(path: SessionPath): void {
    if (path === this.pathValue) return;
    this.pathValue = path;
    this.emit('path', { path });
  }
}

function waitFor(routes: RouteSwitch, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const off = routes.on('ice-servers', done);
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

/** Node endpoints and tests: runs the upgrade for `session`, reading its p2p-* messages, until it ends. */
export function startDirectUpgrade(session: SecureSession, opts: Omit<DirectUpgradeOptions, 'role' | 'routes' | 'send'>): DirectUpgrade {
  const upgrade = new DirectUpgrade({ role: session.role, routes: session.routes, send: (m) => session.sendControl(m), ...opts });
  const offs = [
    session.on('control', (m) => {
      if (isP2pSignal(m)) upgrade.handleMessage(m);
    }),
    session.on('ended', () => {
      upgrade.close();
      for (const off of offs) off();
    }),
  ];
  return upgrade;
}
