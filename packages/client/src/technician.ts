import {
  HandshakeStep,
  PeerType,
  decodePeerPayload,
  encodeHandshake,
  parseCustomerId,
  toProtocolError,
  type FilePolicyWire,
  type ToTechnician,
} from '@fernhilfe/protocol';
import { ServerConnection } from './connection.js';
import { ConnectError } from './errors.js';
import { TechnicianHandshake, type KeyLog } from './handshake.js';
import { SecureSession } from './secure-session.js';
import type { TransportFactory } from './transport.js';

export interface TechnicianOptions {
  /** ws(s)://host/ws/technician?ticket=... (the ticket comes from the signed-in console session) */
  url: string;
  transport: TransportFactory;
  /** how long a whole attempt may take */
  timeoutMs?: number;
  /**
   * A fresh technician WebSocket URL (a ws ticket is single use): the console passes
   * `() => api.technicianUrl()`. With it a dropped connection during a session is resumed; without
   * it the session ends when the connection drops.
   */
  reconnectUrl?: () => Promise<string>;
  keyLog?: KeyLog;
}

/**
 * The technician's end: one server connection on which it may try IDs and passwords until one
 * gives a session. connect() resolves with the session or rejects with a ConnectError whose
 * `reason` says plainly what went wrong.
 */
export class TechnicianEndpoint {
  private busy = false;
  private session: SecureSession | undefined;
  /** the operator's file policy from the last `pairing` (undefined: an older server, everything allowed) */
  filePolicy: FilePolicyWire | undefined;

  private constructor(
    private readonly conn: ServerConnection<'technician'>,
    private readonly opts: TechnicianOptions,
  ) {}

  static async open(opts: TechnicianOptions): Promise<TechnicianEndpoint> {
    let transport;
    try {
      transport = await opts.transport(opts.url);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new ConnectError(/\(40[13]\)|401|Unauthorized/.test(detail) ? 'not-signed-in' : 'network', undefined, detail);
    }
    return new TechnicianEndpoint(new ServerConnection(transport, 'technician'), opts);
  }

  get isOpen(): boolean {
    return this.conn.isOpen;
  }

  /** Closes the connection. A running session is ended instead: the server is told, then its connection closes. */
  close(): void {
    if (this.session?.isOpen) return void this.session.end();
    this.conn.close('closed by technician');
  }

  connect(idInput: string, password: string): Promise<SecureSession> {
    const id = parseCustomerId(idInput);
    if (!id) return Promise.reject(new ConnectError('wrong-credentials', undefined, 'an ID is nine digits'));
    if (this.busy || this.session) return Promise.reject(new ConnectError('protocol', undefined, 'already connecting or connected'));
    if (!this.conn.isOpen) return Promise.reject(new ConnectError('network'));
    this.busy = true;
    return this.attempt(id, password).finally(() => (this.busy = false));
  }

  private reconnector(): { reconnect?: () => Promise<ServerConnection> } {
    const { reconnectUrl, transport } = this.opts;
    return reconnectUrl ? { reconnect: async () => new ServerConnection(await transport(await reconnectUrl()), 'technician') } : {};
  }

  private attempt(id: string, password: string): Promise<SecureSession> {
    return new Promise((resolve, reject) => {
      let handshake: TechnicianHandshake | undefined;
      /** peer frames that arrive while the session keys are imported (after the customer confirmed) */
      let early: Uint8Array[] | undefined;
      let settled = false;
      const offs: (() => void)[] = [];
      const timer = setTimeout(() => fail(new ConnectError('timeout')), this.opts.timeoutMs ?? 30_000);
      const done = () => {
        settled = true;
        clearTimeout(timer);
        offs.forEach((off) => off());
      };
      const fail = (err: ConnectError, abort = false) => {
        if (settled) return;
        done();
        // the server counts an abort as a failed attempt ('gave-up' in protocol's attempts.ts)
        if (abort) this.conn.sendControl({ type: 'abort' });
        reject(err);
      };

      const onControl = (msg: ToTechnician) => {
        switch (msg.type) {
          case 'pairing':
            if (msg.id !== id || handshake) return fail(new ConnectError('protocol', undefined, 'unexpected pairing'), true);
            this.filePolicy = msg.files;
            handshake = new TechnicianHandshake({ customerId: id, nonceHex: msg.nonce, password, ...(this.opts.keyLog ? { keyLog: this.opts.keyLog } : {}) });
            this.conn.sendPeer(encodeHandshake(HandshakeStep.initiator, handshake.firstMessage));
            return;
          case 'connect-failed':
            return fail(new ConnectError(msg.code, msg.retryAfterMs));
          case 'ended':
            return fail(new ConnectError('customer-left'));
          case 'error':
            return fail(new ConnectError('protocol', undefined, msg.message));
        }
      };

      const onPeer = (bytes: Uint8Array) => {
        if (early) return void early.push(bytes);
        if (bytes[0] !== PeerType.handshake || !handshake) return;
        try {
          const payload = decodePeerPayload(bytes);
          if (payload.type !== 'handshake') return;
          if (payload.step === HandshakeStep.responder) {
            this.conn.sendPeer(encodeHandshake(HandshakeStep.confirmTechnician, handshake.onResponder(payload.data)));
          } else if (payload.step === HandshakeStep.confirmCustomer) {
            const secrets = handshake.onCustomerConfirm(payload.data);
            early = [];
            void SecureSession.create(this.conn, 'technician', secrets).then((session) => {
              if (settled) return;
              if (!this.conn.isOpen) return fail(new ConnectError('network'));
              const pending = early ?? [];
              done();
              this.session = session;
              session.filePolicy = this.filePolicy;
              session.start(() => () => undefined, pending, { customerId: id, ...this.reconnector() });
              resolve(session);
            }, (err: unknown) => fail(new ConnectError('protocol', undefined, String(err))));
          } else {
            fail(new ConnectError('protocol', undefined, `unexpected handshake step ${payload.step}`), true);
          }
        } catch (err) {
          const e = toProtocolError(err);
          fail(new ConnectError(e.reason === 'auth-failed' ? 'auth-failed' : 'protocol', undefined, e.message), true);
        }
      };

      offs.push(
        this.conn.on('control', onControl),
        this.conn.on('invalid-control', (error) => fail(new ConnectError('protocol', undefined, error.message))),
        this.conn.on('peer', onPeer),
        this.conn.on('closed', (info) => fail(new ConnectError('network', undefined, info.reason))),
      );
      this.conn.sendControl({ type: 'connect', id });
    });
  }
}
