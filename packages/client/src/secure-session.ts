import {
  AckAuthenticator,
  ChannelOpener,
  ChannelSealer,
  LogicalChannel,
  PeerType,
  ProtocolError,
  concatBytes,
  controlMessageSchema,
  decodeJson,
  decodePeerPayload,
  encodeJson,
  isLogicalChannel,
  resumeSigningSeed,
  toProtocolError,
  wipeSecrets,
  type ControlMessage,
  type EndReason,
  type FilePolicyWire,
  type Role,
  type SessionReport,
  type SessionSecrets,
} from '@fernhilfe/protocol';
import type { ServerConnection } from './connection.js';
import { Emitter } from '@fernhilfe/protocol';
import { SessionEndedError, type SessionEnd } from './errors.js';
import { AckPolicy } from './resume/ack-policy.js';
import { Outbound } from './resume/outbound.js';
import { PathSync } from './resume/path-sync.js';
import { SessionLink, type ResumeOptions } from './resume/session-link.js';
import { RouteSwitch } from './p2p/route-switch.js';

export type { ResumeOptions } from './resume/session-link.js';

const MAX_PAYLOAD = 1024 * 1024;

export interface SessionEvents extends Record<string, unknown> {
  control: ControlMessage;
  data: { channel: LogicalChannel; bytes: Uint8Array };
  /** the path to the peer broke (this side's connection, or the peer's); frames wait, the link reconnects */
  'connection-lost': { side: 'local' | 'peer' };
  /** the path is whole again and every frame sent meanwhile is on its way; `afterMs` since connection-lost */
  reconnected: { afterMs: number };
  ended: SessionEnd;
}

/**
 * An authenticated, end-to-end encrypted session. Frames are sealed and sent strictly in call order;
 * received frames are opened strictly in arrival order, and the first one that fails (tampered,
 * replayed, out of order, malformed) ends the session with that reason.
 *
 * It survives a dropped connection (docs/protocol.md §8): every sealed frame stays in a retransmit
 * buffer until an authenticated ACK from the peer covers it; the SessionLink reconnects and proves the
 * resume key; on the re-established path both ends exchange SYNC (what each has opened) and resend
 * exactly what the other lacks, so the strict sequence rule holds end to end.
 */
export class SecureSession extends Emitter<SessionEvents> {
  private ended: SessionEnd | undefined;
  private readonly offs: (() => void)[] = [];
  private readonly out: Outbound;
  private readonly acker: AckPolicy;
  private readonly sync: PathSync;
  private openTail: Promise<unknown> = Promise.resolve();
  private lostAt: number | undefined;
  /** the operator's file policy the server sent with the pairing (set by the endpoint; undefined: everything allowed) */
  filePolicy: FilePolicyWire | undefined;

  private constructor(
    private readonly link: RouteSwitch,
    readonly role: Role,
    /** short authentication string to compare on the phone, "123 456" */
    readonly sas: string,
    sealer: ChannelSealer,
    private readonly opener: ChannelOpener,
    private readonly acks: AckAuthenticator,
    private readonly resumeSeed: Uint8Array,
  ) {
    super();
    this.out = new Outbound(sealer, link);
    this.acker = new AckPolicy(() => {
      if (this.sync.isUp && !this.ended) link.sendPeer(acks.ack(opener.received));
    });
    this.sync = new PathSync({
      out: this.out,
      sendSync: (path) => link.sendPeer(acks.sync(path, opener.received)),
      settled: () => this.openTail,
      onResumed: () => this.onResumed(),
      fail: (err) => this.fail(err),
    });
  }

  static async create(conn: ServerConnection, role: Role, secrets: SessionSecrets): Promise<SecureSession> {
    const out = role === 'technician' ? 't2c' : 'c2t';
    const inn = role === 'technician' ? 'c2t' : 't2c';
    const sealer = await ChannelSealer.create(secrets[out], secrets.channelId, out);
    const opener = await ChannelOpener.create(secrets[inn], secrets.channelId, inn);
    const acks = AckAuthenticator.forRole(secrets.resume, role);
    const seed = resumeSigningSeed(secrets.resume, role);
    // the relay, or a direct channel after the peer-to-peer upgrade (p2p/); SYNCs are checked with the peer's ACK key
    const routes = new RouteSwitch(new SessionLink(conn, role), conn, (sync) => {
      try {
        acks.check(sync);
        return true;
      } catch {
        return false;
      }
    });
    const session = new SecureSession(routes, role, secrets.sas, sealer, opener, acks, seed);
    wipeSecrets(secrets);
    return session;
  }

  /**
   * Called by the endpoint once the session's events have listeners. `early` holds peer frames that
   * arrived while the keys were being imported; they are processed first, in order. With `resume`
   * (and its `reconnect`), a dropped connection is resumed instead of ending the session.
   */
  start(onServerEnd: (handler: (end: SessionEnd) => void) => () => void, early: Uint8Array[] = [], resume?: ResumeOptions): void {
    this.offs.push(
      this.link.on('peer', (bytes) => this.receive(bytes)),
      this.link.on('down', ({ side }) => this.onDown(side)),
      // the peer-to-peer upgrade moved the stream (relay <-> direct channel): SYNC on the new route, no loss shown
      this.link.on('switch', ({ path }) => {
        this.acker.reset();
        this.sync.up(path);
      }),
      this.link.on('up', ({ path }) => {
        this.acker.reset();
        this.sync.up(path);
      }),
      this.link.on('end', (end) => this.finish(end)),
    );
    this.link.start();
    for (const bytes of early) this.receive(bytes);
    this.offs.push(onServerEnd((end) => this.finish(end)));
    if (resume && !this.ended) this.link.enableResume(resume, this.resumeSeed);
    else this.resumeSeed.fill(0);
  }

  /** Which route carries the stream (relay or direct channel); the peer-to-peer upgrade attaches channels here. */
  get routes(): RouteSwitch {
    return this.link;
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  get endInfo(): SessionEnd | undefined {
    return this.ended;
  }

  /** True while the path to the peer is broken (between connection-lost and reconnected). */
  get isReconnecting(): boolean {
    return this.lostAt !== undefined && !this.ended;
  }

  sendControl(message: ControlMessage): Promise<void> {
    return this.send(LogicalChannel.control, encodeJson(message));
  }

  /** Sends a binary payload on a logical channel; resolves once it is queued (or kept for a resume). */
  sendData(channel: LogicalChannel, bytes: Uint8Array): Promise<void> {
    if (bytes.length > MAX_PAYLOAD) return Promise.reject(ProtocolError.tooLarge(bytes.length, MAX_PAYLOAD));
    return this.send(channel, bytes);
  }

  /** Sends a report for the session's audit trail to the server (metadata only, never contents). */
  report(report: SessionReport): void {
    if (!this.ended) this.link.sendServer({ type: 'report', report });
  }

  /**
   * Ends the session for both sides: a sealed "bye" to the peer, then the server is told. While the
   * connection is lost it ends here at once; the server is told as soon as a reconnect gets through.
   */
  async end(reason: EndReason = this.role === 'customer' ? 'ended-by-customer' : 'ended-by-technician'): Promise<void> {
    if (this.ended) return;
    const bye: ControlMessage = reason === 'recording-refused' ? { type: 'bye', reason } : { type: 'bye' };
    if (this.sync.isUp) await this.sendControl(bye).catch(() => undefined);
    this.finish({ reason, by: 'local' }, reason);
  }

  private send(channel: LogicalChannel, payload: Uint8Array): Promise<void> {
    if (this.ended) return Promise.reject(new SessionEndedError('ended', `session ended (${this.ended.reason})`));
    return this.out.send(concatBytes(Uint8Array.of(channel), payload));
  }

  private receive(bytes: Uint8Array): void {
    if (this.ended) return;
    const type = bytes[0];
    if (type === PeerType.handshake) return this.fail(ProtocolError.protocol('handshake message inside a session'));
    if (type === PeerType.ack || type === PeerType.sync) return this.receiveAck(bytes);
    // a sealed frame the peer sent before it knew of a new path: it comes again after our SYNC
    if (this.sync.discardsSealed) return;
    const size = bytes.length;
    const opened = this.opener.open(bytes).then(
      (plain) => {
        this.deliver(plain);
        if (!this.ended) this.acker.received(size);
      },
      (err: unknown) => this.fail(toProtocolError(err)),
    );
    this.openTail = opened.catch(() => undefined);
  }

  private receiveAck(bytes: Uint8Array): void {
    try {
      const payload = decodePeerPayload(bytes);
      if (payload.type !== 'ack' && payload.type !== 'sync') return;
      this.acks.check(payload);
      if (payload.type === 'ack') this.sync.ack(payload.next);
      else this.sync.peerSync(payload.path, payload.next);
    } catch (err) {
      this.fail(toProtocolError(err));
    }
  }

  private deliver(plain: Uint8Array): void {
    if (this.ended) return;
    const channel = plain[0];
    if (channel === undefined || !isLogicalChannel(channel)) return this.fail(ProtocolError.malformed('unknown logical channel'));
    const body = plain.subarray(1);
    if (channel !== LogicalChannel.control) return this.emit('data', { channel, bytes: body });
    const msg = decodeJson(controlMessageSchema, body);
    if (!msg.ok) return this.fail(msg.error);
    if (msg.value.type === 'bye') {
      const by = this.role === 'customer' ? 'technician' : 'customer';
      return this.finish({ reason: msg.value.reason ?? (by === 'technician' ? 'ended-by-technician' : 'ended-by-customer'), by });
    }
    if (msg.value.type === 'ping') void this.sendControl({ type: 'pong', id: msg.value.id, t: msg.value.t }).catch(() => undefined);
    this.emit('control', msg.value);
  }

  private onDown(side: 'local' | 'peer'): void {
    if (this.ended) return;
    this.acker.reset();
    this.sync.down();
    if (this.lostAt !== undefined) return;
    this.lostAt = Date.now();
    this.emit('connection-lost', { side });
  }

  private onResumed(): void {
    if (this.ended || this.lostAt === undefined) return;
    const afterMs = Date.now() - this.lostAt;
    this.lostAt = undefined;
    this.emit('reconnected', { afterMs });
  }

  /** A detected failure: tell the server why (so the peer learns it), and end. */
  private fail(error: ProtocolError): void {
    if (this.ended) return;
    this.finish({ reason: error.reason, by: 'local', detail: error.message }, error.reason);
  }

  /** `tell`: the reason the server must hear (now, or once a reconnect gets through). */
  private finish(end: SessionEnd, tell?: EndReason): void {
    if (this.ended) return;
    this.ended = end;
    for (const off of this.offs) off();
    this.sync.stop();
    this.acker.reset();
    this.out.close(end.reason);
    this.acks.wipe();
    this.resumeSeed.fill(0);
    this.link.finish(tell);
    this.emit('ended', end);
  }
}
