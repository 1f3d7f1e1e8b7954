import {
  ProtocolError,
  ackKey,
  confirmationTag,
  cpaceInitiator,
  cpaceResponder,
  deriveSessionSecrets,
  equalBytes,
  fromHex,
  lvCat,
  normalizePassword,
  resumeSigningSeed,
  utf8,
  wipe,
  PROTOCOL_LABEL,
  type SessionSecrets,
} from '@fernhilfe/protocol';

/**
 * The two halves of the authentication: CPace (technician = initiator, customer = responder), then
 * key confirmation. The technician confirms first; the customer answers only after checking the
 * technician's tag, so a wrong guess learns nothing. Inputs bound into CPace:
 *   PRS = the normalised password, CI = lv(label) || lv(customer ID), sid = the server's nonce,
 *   AD  = the role label of each side.
 */
export interface HandshakeContext {
  customerId: string;
  nonceHex: string;
  password: string;
  keyLog?: KeyLog;
}

/** Test and debugging hook (like SSLKEYLOGFILE): receives each secret as it is made. Never set in production. */
export type KeyLog = (label: string, bytes: Uint8Array) => void;

function cpaceInput(ctx: HandshakeContext, ad: string) {
  return {
    prs: utf8(normalizePassword(ctx.password)),
    ci: lvCat(utf8(PROTOCOL_LABEL), utf8(ctx.customerId)),
    sid: fromHex(ctx.nonceHex),
    ad: utf8(ad),
  };
}

function logSecrets(keyLog: KeyLog | undefined, isk: Uint8Array, s: SessionSecrets): void {
  if (!keyLog) return;
  keyLog('isk', isk);
  keyLog('t2c-key', s.t2c.key);
  keyLog('c2t-key', s.c2t.key);
  keyLog('confirm-technician', s.confirmTechnician);
  keyLog('confirm-customer', s.confirmCustomer);
  keyLog('resume', s.resume);
  // derived from `resume` when the session starts: the ACK keys and both roles' resume signing seeds
  keyLog('ack-t2c', ackKey(s.resume, 't2c'));
  keyLog('ack-c2t', ackKey(s.resume, 'c2t'));
  keyLog('resume-seed-technician', resumeSigningSeed(s.resume, 'technician'));
  keyLog('resume-seed-customer', resumeSigningSeed(s.resume, 'customer'));
}

export class TechnicianHandshake {
  private readonly initiator: ReturnType<typeof cpaceInitiator>;
  private secrets: SessionSecrets | undefined;
  private transcript: Uint8Array | undefined;

  constructor(private readonly ctx: HandshakeContext) {
    this.initiator = cpaceInitiator(cpaceInput(ctx, 'technician'));
  }

  /** Step 1: MSGa for the customer. */
  get firstMessage(): Uint8Array {
    return this.initiator.message;
  }

  /** Step 2 in, step 3 out: the technician's confirmation tag. */
  onResponder(msgB: Uint8Array): Uint8Array {
    if (this.secrets) throw ProtocolError.protocol('second responder message');
    const { isk, transcript, peerAd } = this.initiator.finish(msgB);
    if (!equalBytes(peerAd, utf8('customer'))) throw ProtocolError.protocol('the responder is not a customer');
    this.secrets = deriveSessionSecrets(isk, fromHex(this.ctx.nonceHex));
    this.transcript = transcript;
    logSecrets(this.ctx.keyLog, isk, this.secrets);
    wipe(isk);
    return confirmationTag(this.secrets, 'technician', transcript);
  }

  /** Step 4 in: the customer's tag; returns the session secrets when it is right. */
  onCustomerConfirm(tag: Uint8Array): SessionSecrets {
    if (!this.secrets || !this.transcript) throw ProtocolError.protocol('confirmation before key exchange');
    if (!equalBytes(tag, confirmationTag(this.secrets, 'customer', this.transcript))) {
      throw new ProtocolError('auth-failed', "the customer's key confirmation is wrong");
    }
    return this.secrets;
  }
}

export class CustomerHandshake {
  private readonly secrets: SessionSecrets;
  private readonly transcript: Uint8Array;
  /** Step 2 for the technician. */
  readonly responderMessage: Uint8Array;

  /** Step 1 in (MSGa); throws ProtocolError when it is malformed. */
  constructor(ctx: HandshakeContext, msgA: Uint8Array) {
    const r = cpaceResponder(cpaceInput(ctx, 'customer'), msgA);
    if (!equalBytes(r.peerAd, utf8('technician'))) throw ProtocolError.protocol('the initiator is not a technician');
    this.secrets = deriveSessionSecrets(r.isk, fromHex(ctx.nonceHex));
    this.transcript = r.transcript;
    this.responderMessage = r.message;
    logSecrets(ctx.keyLog, r.isk, this.secrets);
    wipe(r.isk);
  }

  /** Step 3 in: true when the technician proved the same password. */
  checkTechnician(tag: Uint8Array): boolean {
    return equalBytes(tag, confirmationTag(this.secrets, 'technician', this.transcript));
  }

  /** Step 4 out, only after checkTechnician() was true. */
  finish(): { tag: Uint8Array; secrets: SessionSecrets } {
    return { tag: confirmationTag(this.secrets, 'customer', this.transcript), secrets: this.secrets };
  }
}
