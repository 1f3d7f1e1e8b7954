import {
  ChannelOpener,
  ChannelSealer,
  LogicalChannel,
  PeerType,
  ProtocolError,
  concatBytes,
  controlMessageSchema,
  decodeJson,
  encodeJson,
  isLogicalChannel,
  toProtocolError,
  wipeSecrets,
  type ControlMessage,
  type EndReason,
  type Role,
  type SessionSecrets,
} from '@fernhilfe/protocol';
import type { ServerConnection } from './connection.js';
import { Emitter } from './emitter.js';
import type { SessionEnd } from './errors.js';

/** Above this many queued bytes, sendData() waits before handing over more. */
const HIGH_WATER = 1024 * 1024;
const MAX_PAYLOAD = 1024 * 1024;

export interface SessionEvents extends Record<string, unknown> {
  control: ControlMessage;
  data: { channel: LogicalChannel; bytes: Uint8Array };
  ended: SessionEnd;
}

/**
 * An authenticated, end-to-end encrypted session over a server connection. Frames are sealed and
 * sent strictly in call order; received frames are opened strictly in arrival order, and the first
 * one that fails (tampered, replayed, out of order, malformed) ends the session with that reason.
 */
export class SecureSession extends Emitter<SessionEvents> {
  private sendTail: Promise<void> = Promise.resolve();
  private ended: SessionEnd | undefined;
  private readonly offs: (() => void)[] = [];

  private constructor(
    private readonly conn: ServerConnection,
    readonly role: Role,
    /** short authentication string to compare on the phone, "123 456" */
    readonly sas: string,
    private readonly sealer: ChannelSealer,
    private readonly opener: ChannelOpener,
  ) {
    super();
  }

  static async create(conn: ServerConnection, role: Role, secrets: SessionSecrets): Promise<SecureSession> {
    const out = role === 'technician' ? 't2c' : 'c2t';
    const inn = role === 'technician' ? 'c2t' : 't2c';
    const sealer = await ChannelSealer.create(secrets[out], secrets.channelId, out);
    const opener = await ChannelOpener.create(secrets[inn], secrets.channelId, inn);
    const session = new SecureSession(conn, role, secrets.sas, sealer, opener);
    wipeSecrets(secrets);
    return session;
  }

  /**
   * Called by the endpoint once the session's events have listeners. `early` holds peer frames that
   * arrived while the keys were being imported; they are processed first, in order.
   */
  start(onServerEnd: (handler: (end: SessionEnd) => void) => () => void, early: Uint8Array[] = []): void {
    this.offs.push(this.conn.on('peer', (bytes) => this.receive(bytes)));
    for (const bytes of early) this.receive(bytes);
    this.offs.push(onServerEnd((end) => this.finish(end)));
    this.offs.push(this.conn.on('closed', (info) => this.finish({ reason: info.error?.reason ?? 'peer-disconnected', by: 'server', detail: info.reason })));
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  get endInfo(): SessionEnd | undefined {
    return this.ended;
  }

  sendControl(message: ControlMessage): Promise<void> {
    return this.send(LogicalChannel.control, encodeJson(message));
  }

  /** Sends a binary payload on a logical channel; resolves once it is queued on the transport. */
  sendData(channel: LogicalChannel, bytes: Uint8Array): Promise<void> {
    if (bytes.length > MAX_PAYLOAD) return Promise.reject(ProtocolError.tooLarge(bytes.length, MAX_PAYLOAD));
    return this.send(channel, bytes);
  }

  /** Ends the session for both sides: a sealed "bye" to the peer, then the server is told. */
  async end(reason: EndReason = this.role === 'customer' ? 'ended-by-customer' : 'ended-by-technician'): Promise<void> {
    if (this.ended) return;
    await this.sendControl({ type: 'bye' }).catch(() => undefined);
    this.conn.sendControl({ type: 'end', reason });
    this.finish({ reason, by: 'local' });
  }

  private send(channel: LogicalChannel, payload: Uint8Array): Promise<void> {
    const task = this.sendTail.then(async () => {
      if (this.ended) throw new Error(`session ended (${this.ended.reason})`);
      while (this.conn.bufferedAmount > HIGH_WATER && !this.ended) await new Promise((r) => setTimeout(r, 5));
      const sealed = await this.sealer.seal(concatBytes(Uint8Array.of(channel), payload));
      if (!this.ended) this.conn.sendPeer(sealed);
    });
    this.sendTail = task.catch(() => undefined);
    return task;
  }

  private receive(bytes: Uint8Array): void {
    if (this.ended) return;
    if (bytes[0] === PeerType.handshake) {
      this.fail(ProtocolError.protocol('handshake message inside a session'));
      return;
    }
    this.opener.open(bytes).then(
      (plain) => this.deliver(plain),
      (err: unknown) => this.fail(toProtocolError(err)),
    );
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
      return this.finish({ reason: this.role === 'customer' ? 'ended-by-technician' : 'ended-by-customer', by: this.role === 'customer' ? 'technician' : 'customer' });
    }
    if (msg.value.type === 'ping') void this.sendControl({ type: 'pong', id: msg.value.id, t: msg.value.t }).catch(() => undefined);
    this.emit('control', msg.value);
  }

  /** A detected failure: tell the server why (so the peer learns it), and end. */
  private fail(error: ProtocolError): void {
    if (this.ended) return;
    this.conn.sendControl({ type: 'end', reason: error.reason });
    this.finish({ reason: error.reason, by: 'local', detail: error.message });
  }

  private finish(end: SessionEnd): void {
    if (this.ended) return;
    this.ended = end;
    for (const off of this.offs) off();
    this.conn.close(end.reason);
    this.emit('ended', end);
  }
}
