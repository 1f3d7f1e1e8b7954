import { FernhilfeError, type EndReason, type ServerError } from '@fernhilfe/protocol';

/** Why connecting to a customer did not give a session. */
export const connectFailures = [
  'wrong-credentials', // wrong ID or password
  'rate-limited', // too many attempts; see retryAfterMs
  'busy', // another technician is connected to this customer
  'customer-left',
  'timeout',
  'network', // the server cannot be reached or the connection dropped
  'auth-failed', // the customer's key confirmation was wrong: not the customer we think
  'protocol', // the server or peer broke the protocol
  'not-signed-in',
] as const;
export type ConnectFailure = (typeof connectFailures)[number];

const plain: Record<ConnectFailure, string> = {
  'wrong-credentials': 'Wrong ID or password.',
  'rate-limited': 'Too many attempts.',
  busy: 'Another technician is already connected to this customer.',
  'customer-left': 'The customer has closed the support module.',
  timeout: 'The customer did not answer in time.',
  network: 'The server cannot be reached.',
  'auth-failed': 'The other side could not prove it knows the password. The connection was stopped for your safety.',
  protocol: 'The connection broke the protocol and was stopped.',
  'not-signed-in': 'Please sign in again.',
};

export class ConnectError extends FernhilfeError<ConnectFailure> {
  override readonly name = 'ConnectError';
  constructor(
    reason: ConnectFailure,
    readonly retryAfterMs?: number,
    detail?: string,
  ) {
    const plainWords = ConnectError.describe(reason, retryAfterMs);
    super(reason, detail ?? plainWords, { message: plainWords + (detail ? ` (${detail})` : '') });
  }

  /** The sentence a person sees, in English; UIs translate by `reason`. */
  static describe(reason: ConnectFailure, retryAfterMs?: number): string {
    const wait = retryAfterMs && retryAfterMs > 0 ? ` Try again in ${Math.ceil(retryAfterMs / 1000)} s.` : '';
    return plain[reason] + (reason === 'rate-limited' || reason === 'wrong-credentials' ? wait : '');
  }
}

/** Why the server gave no ID: `terms-outdated`, `rate-limited`, `network`, … (the server's error codes). */
export class RegistrationError extends FernhilfeError<ServerError['code'] | 'network'> {
  override readonly name = 'RegistrationError';
  constructor(reason: ServerError['code'] | 'network', detail: string) {
    super(reason, detail, { message: `${reason}: ${detail}` });
  }
}


/** Why send() refused before anything went out, or accept() found no such offer. */
export class FileTransferError extends FernhilfeError<'too-large' | 'not-allowed' | 'unknown-transfer'> {
  override readonly name = 'FileTransferError';
}

/** Something was to be sent after the session ended; the message names how it ended. */
export class SessionEndedError extends FernhilfeError<'ended'> {
  override readonly name = 'SessionEndedError';
}

/** How a session ended, for the people on both ends. */
export interface SessionEnd {
  reason: EndReason;
  by: 'customer' | 'technician' | 'server' | 'local';
  detail?: string;
}
