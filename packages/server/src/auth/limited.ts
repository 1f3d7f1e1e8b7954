import type { FastifyRequest } from 'fastify';
import { LOGIN_PATTERN } from './accounts.js';
import { AuthError } from './errors.js';
import type { SignInAttempt, SignInLimiter, SignInOutcome, SignInTicket } from './rate-limit.js';

/**
 * Runs one attempt under the limiter: counted before `check` starts (429 when a limit is reached),
 * kept as a failure when `check` calls `fail`, given back otherwise (a success also forgets this
 * login's failures from this address; a throw without `fail`, such as a busy server, does not count).
 */
export async function limited<T>(
  limiter: SignInLimiter,
  request: FastifyRequest,
  attempt: SignInAttempt,
  check: (fail: () => void) => Promise<T>,
): Promise<T> {
  const admission = await limiter.admit(attempt);
  if (!admission.ok) {
    request.log.warn({ login: attempt.login === undefined ? undefined : loginForLog(attempt.login), ip: request.ip }, 'attempt refused: too many attempts');
    throw AuthError.rateLimited(admission.retryAfterSeconds);
  }
  let outcome: SignInOutcome = 'not-a-failure';
  try {
    const result = await check(() => (outcome = 'failed'));
    outcome = 'succeeded';
    return result;
  } finally {
    await settle(limiter, admission.ticket, outcome, request);
  }
}

async function settle(limiter: SignInLimiter, ticket: SignInTicket, outcome: SignInOutcome, request: FastifyRequest): Promise<void> {
  try {
    await limiter.settle(ticket, outcome);
  } catch (err) {
    // the attempt stays counted: safe, and the answer the user gets is the real one
    request.log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not give back a sign-in attempt');
  }
}

/** People type their password into the login field; only something shaped like a login is logged. */
export function loginForLog(login: string): string {
  return LOGIN_PATTERN.test(login.toLowerCase()) ? login.toLowerCase() : '(not a login name)';
}
