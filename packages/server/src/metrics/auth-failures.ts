import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AuthError, type AuthErrorReason } from '../auth/errors.js';
import type { LimiterName, MetricsSink, SignInFailure } from './server-metrics.js';

/** The AuthError reasons that are a failed sign-in (or set-up, or code) or a limit's refusal; everything else is not counted. */
const failures: Partial<Record<AuthErrorReason, SignInFailure>> = {
  invalid_credentials: 'wrong_password',
  'totp-invalid': 'wrong_2fa_code',
  setup_token_invalid: 'bad_setup_token',
  already_set_up: 'bad_setup_token',
};
const refusals: Partial<Record<AuthErrorReason, LimiterName>> = { rate_limited: 'sign_in', busy: 'password_hashing' };

/** An onError hook for the auth routes' scope: counts each refused sign-in by its reason, never by login or address. */
export function countAuthFailures(metrics: Pick<MetricsSink, 'signInFailed' | 'refused'>) {
  return (_request: FastifyRequest, _reply: FastifyReply, error: FastifyError, done: HookHandlerDoneFunction): void => {
    if (error instanceof AuthError) {
      const failure = failures[error.reason];
      const limiter = refusals[error.reason];
      if (failure) metrics.signInFailed(failure);
      if (limiter) metrics.refused(limiter);
    }
    done();
  };
}
