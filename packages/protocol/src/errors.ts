import { FernhilfeError, describeError } from './base-error.js';

/**
 * Why a session (or one connection) ended. Every failure the protocol can detect has a name here,
 * so that both people see a plain reason and tests can assert on it.
 */
export const endReasons = [
  // normal ends
  'ended-by-customer',
  'ended-by-technician',
  'peer-disconnected',
  'server-shutdown',
  'connection-lost', // a connection dropped and was not resumed within the grace period (RESUME_GRACE_MS)
  'ended-by-admin', // an administrator ended the session (console, live sessions)
  'account-disabled', // an administrator disabled the technician's account
  // channel integrity (hostile relay)
  'tampered', // a frame failed authentication (bit flip, truncation, injection)
  'replayed', // a frame's sequence number was already used
  'out-of-order', // a frame's sequence number skips ahead (dropped or reordered frame)
  'malformed', // a frame or message that does not parse
  'too-large', // a frame over the size limit
  // handshake
  'auth-failed', // key confirmation failed
  'handshake-timeout',
  'protocol-error', // a message that is valid but not allowed in the current state
  // several server nodes (REDIS_URL)
  'server-node-lost', // the server node that held the other side of the session stopped answering
  'relay-overloaded', // data piled up between two server nodes faster than it could be delivered
  // recording (docs/recording.md)
  'recording-refused', // the customer refused a recording the operator requires (RECORDING=required)
] as const;
export type EndReason = (typeof endReasons)[number];

/** An error that carries an EndReason; thrown by decoders and the channel, caught at one boundary. */
export class ProtocolError extends FernhilfeError<EndReason> {
  override readonly name = 'ProtocolError';
  constructor(reason: EndReason, detail: string, options: { cause?: unknown } = {}) {
    super(reason, detail, { ...options, message: `${reason}: ${detail}` });
  }
  static malformed(detail: string): ProtocolError {
    return new ProtocolError('malformed', detail);
  }
  static tooLarge(size: number, limit: number): ProtocolError {
    return new ProtocolError('too-large', `frame of ${size} bytes exceeds the limit of ${limit}`);
  }
  static tampered(detail: string): ProtocolError {
    return new ProtocolError('tampered', detail);
  }
  static replayed(seq: bigint, expected: bigint): ProtocolError {
    return new ProtocolError('replayed', `sequence ${seq} repeats (expected ${expected})`);
  }
  static outOfOrder(seq: bigint, expected: bigint): ProtocolError {
    return new ProtocolError('out-of-order', `sequence ${seq} skips ahead (expected ${expected})`);
  }
  static protocol(detail: string): ProtocolError {
    return new ProtocolError('protocol-error', detail);
  }
}

/** Turns anything thrown into a ProtocolError (the single boundary for unknown throws). */
export function toProtocolError(err: unknown, fallback: EndReason = 'malformed'): ProtocolError {
  if (err instanceof ProtocolError) return err;
  return new ProtocolError(fallback, describeError(err), { cause: err });
}
