import {
  HandshakeStep,
  PeerType,
  attemptRound,
  decodePeerPayload,
  encodeHandshake,
  generatePassword,
  isFailedAttempt,
  type AttemptEnd,
  type Capability,
  type CaseJoin,
  type FilePolicyWire,
  type ToCustomer,
} from '@fernhilfe/protocol';
import { ServerConnection } from './connection.js';
import { Emitter } from '@fernhilfe/protocol';
import { RegistrationError, type SessionEnd } from './errors.js';
import { CustomerHandshake, type KeyLog } from './handshake.js';
import { SecureSession } from './secure-session.js';
import type { TransportFactory } from './transport.js';

export interface CustomerOptions {
  /** ws(s)://host/ws/customer */
  url: string;
  transport: TransportFactory;
  /** the version hash of the terms the customer accepted */
  termsVersion: string;
  language: 'de' | 'en';
  capabilities: Capability[];
  /** how long to wait for the server's answer to the registration (default 15 s) */
  timeoutMs?: number;
  keyLog?: KeyLog;
  /** joining a support case (docs/cases.md): sent with `register`; `password` is then the case secret */
  case?: CaseJoin;
  /** the one-time password to use instead of a new random one (a case's secret) */
  password?: string;
}

export interface CustomerEvents extends Record<string, unknown> {
  /** a technician is trying to connect */
  pairing: { displayName: string; company: string };
  /** the technician's attempt ended before a session began (gave up, left, timed out) */
  'pairing-aborted': { reason: 'technician-left' | 'timeout' | 'aborted' };
  /** a technician's attempt failed (protocol's attempts.ts); after MAX_FAILED_ATTEMPTS the password changes */
  'attempt-failed': { failures: number; remaining: number };
  'password-rotated': { password: string };
  session: SecureSession;
  ended: SessionEnd;
}

/** How the server's `pairing-aborted` reasons read as the ends of an attempt (protocol's attempts.ts). */
const abortedAttempt = { 'technician-left': 'technician-left', timeout: 'timeout', aborted: 'gave-up' } as const satisfies Record<CustomerEvents['pairing-aborted']['reason'], AttemptEnd>;

/**
 * The customer's end: registers for an ID, keeps the one-time password (made here, never sent),
 * answers technicians' handshakes, and gives at most one session.
 */
export class CustomerEndpoint extends Emitter<CustomerEvents> {
  private passwordValue: string | undefined;
  private failures = 0;
  private handshake: CustomerHandshake | undefined;
  private attemptStarted = false;
  private pairingNonce: string | undefined;
  private session: SecureSession | undefined;
  private endInfo: SessionEnd | undefined;
  /** the key to this session's receipt on the server (`/receipt#token=…`), if the server gives one */
  receiptToken: string | undefined;
  /** the operator's file policy from `registered` (undefined: an older server, everything allowed) */
  filePolicy: FilePolicyWire | undefined;
  /** the name of the technician the joined case is assigned to (docs/cases.md) */
  caseTechnician: string | undefined;

  private constructor(
    private readonly conn: ServerConnection<'customer'>,
    readonly id: string,
    private readonly opts: CustomerOptions,
  ) {
    super();
    this.passwordValue = opts.password ?? generatePassword();
  }

  /** Connects, registers with the accepted terms, and resolves with the ID. */
  static async open(opts: CustomerOptions): Promise<CustomerEndpoint> {
    const conn = new ServerConnection(await opts.transport(opts.url), 'customer');
    conn.sendControl({ type: 'register', termsVersion: opts.termsVersion, language: opts.language, capabilities: opts.capabilities, ...(opts.case ? { case: opts.case } : {}) });
    return new Promise<CustomerEndpoint>((resolve, reject) => {
      const fail = (err: Error, reason: string) => {
        offs.forEach((off) => off());
        clearTimeout(timer);
        conn.close(reason);
        reject(err);
      };
      const timer = setTimeout(() => fail(new RegistrationError('network', 'the server did not answer the registration'), 'timeout'), opts.timeoutMs ?? 15_000);
      const offs = [
        conn.on('invalid-control', (error) => fail(error, error.reason)),
        conn.on('control', (m) => {
          if (m.type !== 'registered') {
            const err = m.type === 'error' ? new RegistrationError(m.code, m.message) : new RegistrationError('bad-message', `unexpected ${m.type}`);
            return fail(err, 'registration refused');
          }
          offs.forEach((off) => off());
          clearTimeout(timer);
          // listen before anything else can arrive: frames right behind `registered` must not be lost
          const endpoint = new CustomerEndpoint(conn, m.id, opts);
          endpoint.receiptToken = m.receipt;
          endpoint.filePolicy = m.files;
          endpoint.caseTechnician = m.case?.technician;
          endpoint.listen();
          resolve(endpoint);
        }),
        conn.on('closed', (info) => fail(new RegistrationError('network', `server closed the connection: ${info.reason}`), 'closed')),
      ];
    });
  }

  /** The password to read out on the phone; undefined once it was used or the session ended. */
  get password(): string | undefined {
    return this.passwordValue;
  }

  get failedAttempts(): number {
    return this.failures;
  }

  get ended(): SessionEnd | undefined {
    return this.endInfo;
  }

  /** Ends everything: the session if there is one, else the registration. Works at any moment. */
  async end(): Promise<void> {
    if (this.session?.isOpen) return this.session.end();
    this.conn.sendControl({ type: 'end' });
    this.finish({ reason: 'ended-by-customer', by: 'local' });
  }

  private listen(): void {
    // the session's link reads the server's messages once there is a session
    this.conn.on('control', (msg) => {
      if (!this.session) this.onServer(msg);
    });
    this.conn.on('invalid-control', (error) => {
      if (!this.session) this.finish({ reason: 'malformed', by: 'server', detail: error.message });
    });
    this.conn.on('peer', (bytes) => {
      if (!this.session && bytes[0] === PeerType.handshake) this.onHandshake(bytes);
    });
    this.conn.on('closed', (info) => {
      if (!this.session) this.finish({ reason: info.error?.reason ?? 'peer-disconnected', by: 'server', detail: info.reason });
    });
  }

  private onServer(msg: ToCustomer): void {
    switch (msg.type) {
      case 'pairing':
        if (!this.passwordValue || this.session) return;
        this.pairingNonce = msg.nonce;
        this.handshake = undefined;
        this.attemptStarted = false;
        this.emit('pairing', msg.technician);
        return;
      case 'pairing-aborted':
        // a technician who started a handshake and left without proving the password counts as a failure
        if (!this.session && isFailedAttempt(abortedAttempt[msg.reason], { handshakeStarted: this.attemptStarted })) this.countFailure();
        this.pairingNonce = undefined;
        this.handshake = undefined;
        this.emit('pairing-aborted', { reason: msg.reason });
        return;
      case 'ended':
        this.finish({ reason: msg.reason, by: msg.by });
        return;
      case 'error':
        this.finish({ reason: 'protocol-error', by: 'server', detail: msg.message });
        return;
      case 'registered':
        this.finish({ reason: 'protocol-error', by: 'server', detail: 'registered twice' });
        return;
      default:
        return; // messages about a running session: there is none yet
    }
  }

  private onHandshake(bytes: Uint8Array): void {
    const nonce = this.pairingNonce;
    const password = this.passwordValue;
    if (!nonce || !password) return;
    let payload;
    try {
      payload = decodePeerPayload(bytes);
    } catch {
      return this.rejectAttempt();
    }
    if (payload.type !== 'handshake') return;
    if (payload.step === HandshakeStep.initiator && !this.attemptStarted) {
      this.attemptStarted = true;
      try {
        this.handshake = new CustomerHandshake({ customerId: this.id, nonceHex: nonce, password, ...(this.opts.keyLog ? { keyLog: this.opts.keyLog } : {}) }, payload.data);
      } catch {
        return this.rejectAttempt();
      }
      this.conn.sendPeer(encodeHandshake(HandshakeStep.responder, this.handshake.responderMessage));
    } else if (payload.step === HandshakeStep.confirmTechnician && this.handshake) {
      if (!this.handshake.checkTechnician(payload.data)) return this.rejectAttempt();
      void this.accept(this.handshake);
    } else {
      this.rejectAttempt();
    }
  }

  /** The technician proved the password: confirm back, burn the password, open the session. */
  private async accept(handshake: CustomerHandshake): Promise<void> {
    this.handshake = undefined;
    this.pairingNonce = undefined;
    const { tag, secrets } = handshake.finish();
    this.passwordValue = undefined;
    this.conn.sendControl({ type: 'auth-result', ok: true });
    const session = await SecureSession.create(this.conn, 'customer', secrets);
    if (this.endInfo || !this.conn.isOpen) return; // ended while the keys were imported
    this.session = session;
    session.filePolicy = this.filePolicy;
    this.conn.sendPeer(encodeHandshake(HandshakeStep.confirmCustomer, tag));
    // the customer reconnects to the same URL; the resume key proves it is this customer
    const { transport, url } = this.opts;
    session.start(() => () => undefined, [], { customerId: this.id, reconnect: async () => new ServerConnection(await transport(url), 'customer') });
    session.on('ended', (end) => this.finish(end));
    this.emit('session', session);
  }

  private rejectAttempt(): void {
    this.handshake = undefined;
    this.pairingNonce = undefined;
    this.attemptStarted = false;
    this.conn.sendControl({ type: 'auth-result', ok: false });
    this.countFailure();
  }

  private countFailure(): void {
    this.failures++;
    const round = attemptRound(this.failures);
    this.emit('attempt-failed', { failures: this.failures, remaining: round.remaining });
    if (round.rotate) {
      this.passwordValue = generatePassword();
      this.conn.sendControl({ type: 'password-rotated' });
      this.emit('password-rotated', { password: this.passwordValue });
    }
  }

  private finish(end: SessionEnd): void {
    if (this.endInfo) return;
    this.endInfo = end;
    this.passwordValue = undefined;
    this.handshake = undefined;
    this.conn.close(end.reason);
    this.emit('ended', end);
  }
}
