import { resumePublicKey, toHex, type EndReason, type Role, type ToCustomer, type ToTechnician } from '@fernhilfe/protocol';
import type { ServerConnection, ToServer } from '../connection.js';
import { Emitter } from '@fernhilfe/protocol';
import type { SessionEnd } from '../errors.js';
import { runResumeExchange, type ResumeResult } from './exchange.js';

/** Waits before the reconnect attempts: 250 ms, 500 ms, 1 s, then every 2 s until the grace period is over. */
export const RECONNECT_BACKOFF_MS = [250, 500, 1000, 2000] as const;
/** Longest a single attempt (connect + resume exchange) may take. */
const ATTEMPT_TIMEOUT_MS = 5000;

export interface ResumeOptions {
  customerId: string;
  /** opens a fresh connection to the server; without it this side cannot resume (the technician needs a new ticket) */
  reconnect?: () => Promise<ServerConnection>;
}

export interface LinkEvents extends Record<string, unknown> {
  /** a PEER frame from the server */
  peer: Uint8Array;
  /** the path to the peer broke: this side's connection (reconnecting now) or the peer's */
  down: { side: 'local' | 'peer' };
  /** both endpoints are attached again, on path number `path` */
  up: { path: number };
  /** the link cannot carry the session any more, or the server ended it */
  end: SessionEnd;
}

type State = 'connected' | 'reconnecting' | 'ending' | 'closed';

/**
 * What carries a session to the server: one ServerConnection at a time. When it drops during the
 * session (and the server confirmed this side's resume key), the link opens a new connection with
 * back-off, proves the resume key, and carries on over it; the session above does not notice which
 * connection it is on. It also reads the server's messages that concern the running session.
 *
 *   connected --dropped, resumable--> reconnecting --resumed--> connected
 *   reconnecting --refused / grace period over--> closed (end: connection-lost)
 *   reconnecting --session ended here--> ending --resumed: `end` sent--> closed
 *   connected --dropped, not resumable / ended / finish()--> closed
 */
export class SessionLink extends Emitter<LinkEvents> {
  private conn: ServerConnection | undefined;
  private state: State = 'connected';
  private offs: (() => void)[] = [];
  private resume: { customerId: string; reconnect: () => Promise<ServerConnection>; seed: Uint8Array } | undefined;
  /** set once the server stored this side's resume key */
  private graceMs: number | undefined;
  private pendingEnd: EndReason | undefined;
  private pendingServer: ToServer<Role>[] = [];

  constructor(
    conn: ServerConnection,
    private readonly role: Role,
  ) {
    super();
    this.conn = conn;
  }

  /** Starts reading the connection (call once the session listens to this link). */
  start(): void {
    if (this.conn && this.offs.length === 0) this.listen(this.conn);
  }

  /** Makes this side resumable: gives the server the public resume key (the seed stays here). */
  enableResume(opts: ResumeOptions, seed: Uint8Array): void {
    if (!opts.reconnect || this.state !== 'connected') return void seed.fill(0);
    this.resume = { customerId: opts.customerId, reconnect: opts.reconnect, seed };
    this.conn?.sendControl({ type: 'resume-key', publicKey: toHex(resumePublicKey(seed)) });
  }

  get bufferedAmount(): number {
    return this.state === 'connected' ? (this.conn?.bufferedAmount ?? 0) : 0;
  }

  sendPeer(bytes: Uint8Array): void {
    if (this.state === 'connected') this.conn?.sendPeer(bytes);
  }

  /** A control message for the server (an audit report); while reconnecting it waits for the new connection. */
  sendServer(message: ToServer<Role>): void {
    if (this.state === 'connected') this.conn?.sendControl(message);
    else if (this.state === 'reconnecting' && this.pendingServer.length < 256) this.pendingServer.push(message);
  }

  /**
   * The session is over. `tell`: the reason the server must hear (`end{reason}`), now, or when a
   * reconnect in progress gets through (until the grace period is over).
   */
  finish(tell?: EndReason): void {
    if (this.state === 'closed' || this.state === 'ending') return;
    if (this.state === 'reconnecting' && tell) {
      this.state = 'ending';
      this.pendingEnd = tell;
      return;
    }
    const conn = this.conn;
    this.close();
    if (conn && tell) conn.sendControl({ type: 'end', reason: tell });
    conn?.close(tell ?? 'session ended');
  }

  private close(): void {
    this.state = 'closed';
    for (const off of this.offs) off();
    this.offs = [];
    this.conn = undefined;
    this.resume?.seed.fill(0);
    this.resume = undefined;
  }

  private listen(conn: ServerConnection): void {
    this.offs.push(
      conn.on('peer', (bytes) => this.emit('peer', bytes)),
      conn.on('control', (msg) => this.onControl(msg)),
      // as before issue 9: the customer ends on a server message it cannot read, the technician ignores it
      conn.on('invalid-control', (error) => {
        if (this.role === 'customer') this.end({ reason: 'malformed', by: 'server', detail: error.message });
      }),
      conn.on('closed', (info) => this.onClosed(info)),
    );
  }

  private onControl(m: ToCustomer | ToTechnician): void {
    switch (m.type) {
      case 'ended':
        return this.end({ reason: m.reason, by: m.by });
      case 'error':
        return this.end({ reason: 'protocol-error', by: 'server', detail: m.message });
      case 'resume-ready':
        if (this.resume) this.graceMs = m.graceMs;
        return;
      case 'peer-connection-lost':
        return this.emit('down', { side: 'peer' });
      case 'peer-reconnected':
        return this.emit('up', { path: m.path });
      default:
        return; // pairing messages and the like mean nothing inside a session
    }
  }

  private onClosed(info: { reason: string; local: boolean; error?: { reason: EndReason } }): void {
    if (this.state !== 'connected') return;
    for (const off of this.offs) off();
    this.offs = [];
    this.conn = undefined;
    if (info.error) return this.end({ reason: info.error.reason, by: 'server', detail: info.reason });
    if (info.local || !this.resume || this.graceMs === undefined) return this.end({ reason: 'peer-disconnected', by: 'server', detail: info.reason });
    this.state = 'reconnecting';
    this.emit('down', { side: 'local' });
    void this.reconnect(this.resume, Date.now() + this.graceMs);
  }

  private async reconnect(resume: NonNullable<SessionLink['resume']>, deadline: number): Promise<void> {
    const seed = resume.seed.slice(); // survives close() until the loop ends
    try {
      for (let attempt = 0; this.state === 'reconnecting' || this.state === 'ending'; attempt++) {
        await sleep(RECONNECT_BACKOFF_MS[Math.min(attempt, RECONNECT_BACKOFF_MS.length - 1)]!);
        if (this.state !== 'reconnecting' && this.state !== 'ending') return;
        const left = deadline - Date.now();
        if (left <= 0) return this.giveUp({ reason: 'connection-lost', by: 'local', detail: 'the server could not be reached again in time' });
        const conn = await within(resume.reconnect(), Math.min(ATTEMPT_TIMEOUT_MS, left)).catch(() => undefined);
        if (!conn) continue;
        if (this.state !== 'reconnecting' && this.state !== 'ending') return conn.close('session ended');
        const result = await new Promise<ResumeResult>((resolve) =>
          runResumeExchange(conn, { role: this.role, customerId: resume.customerId, seed }, Math.min(ATTEMPT_TIMEOUT_MS, Math.max(1000, left)), (r) => {
            if (r.ok) this.adopt(conn, r.path, r.peerConnected);
            resolve(r);
          }),
        );
        if (result.ok) return;
        if (result.refused) return this.giveUp(result.end ?? { reason: 'connection-lost', by: 'server', detail: result.detail });
      }
    } finally {
      seed.fill(0);
    }
  }

  /** Synchronous, from the handler of `resumed`: the next frame on `conn` already belongs to the session. */
  private adopt(conn: ServerConnection, path: number, peerConnected: boolean): void {
    if (this.state === 'ending') {
      const reason = this.pendingEnd!;
      this.close();
      conn.sendControl({ type: 'end', reason });
      conn.close(reason);
      return;
    }
    if (this.state !== 'reconnecting') return conn.close('session ended');
    this.conn = conn;
    this.state = 'connected';
    this.listen(conn);
    for (const m of this.pendingServer.splice(0)) conn.sendControl(m);
    if (peerConnected) this.emit('up', { path });
  }

  private giveUp(end: SessionEnd): void {
    const ending = this.state === 'ending';
    this.close();
    if (!ending) this.emit('end', end);
  }

  private end(end: SessionEnd): void {
    if (this.state === 'closed') return;
    this.emit('end', end);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `p`, or a rejection after `ms`; a connection that opens too late is closed. */
function within(p: Promise<ServerConnection>, ms: number): Promise<ServerConnection> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new Error('timed out'));
    }, ms);
    p.then(
      (conn) => {
        clearTimeout(timer);
        if (late) conn.close('too late');
        else resolve(conn);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
