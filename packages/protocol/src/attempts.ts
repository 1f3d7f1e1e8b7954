/**
 * The one definition of a failed attempt: a technician's try at a customer's ID that ended without
 * a session. The server counts every one for its back-off (rendezvous/broker.ts, limits.ts); the
 * customer's endpoint counts those in which the password was put to the test (the handshake had
 * begun) and changes the password after MAX_FAILED_ATTEMPTS of them (client/customer.ts); the
 * technician's endpoint tells the server of its own failures with `abort` (client/technician.ts).
 */

/** How a technician's attempt can end without a session. */
export const attemptEnds = [
  /** the PAKE proved the password wrong (either side's confirmation did not match) */
  'wrong-password',
  /** the technician's side gave up during the handshake (`abort`: a bad confirmation, a broken message) */
  'gave-up',
  /** the technician's connection went away during the pairing */
  'technician-left',
  /** the pairing took longer than the server allows */
  'timeout',
  /** no customer has this ID (counts like a wrong password, so IDs cannot be probed faster than passwords) */
  'unknown-id',
] as const;
export type AttemptEnd = (typeof attemptEnds)[number];

/** Wrong passwords (of every kind above) before the customer's password is replaced by a new one. */
export const MAX_FAILED_ATTEMPTS = 5;

/**
 * Whether an attempt that ended so counts as failed. For the server (`handshakeStarted` unknown to it)
 * every end counts; the customer counts only what happened after the technician's first handshake
 * message: before it, nothing of the password was tried.
 */
export function isFailedAttempt(end: AttemptEnd, seen: { handshakeStarted: boolean } | 'server'): boolean {
  if (seen === 'server') return true;
  return end === 'wrong-password' || seen.handshakeStarted;
}

/** Where the customer stands after `failures` failed attempts in all. */
export function attemptRound(failures: number): { inRound: number; remaining: number; rotate: boolean } {
  const inRound = failures === 0 ? 0 : failures % MAX_FAILED_ATTEMPTS || MAX_FAILED_ATTEMPTS;
  return { inRound, remaining: MAX_FAILED_ATTEMPTS - inRound, rotate: failures > 0 && failures % MAX_FAILED_ATTEMPTS === 0 };
}
