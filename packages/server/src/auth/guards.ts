import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie'; // request.cookies
import type { AccountService } from './accounts.js';
import { AuthError, type AuthErrorReason } from './errors.js';
import { digestsEqual, sha256Hex } from './tokens.js';
import type { WebSession } from './web-sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireUser / requireCsrf; null on routes without them. */
    webSession: WebSession | null;
  }
}

export const SESSION_COOKIE = 'fh_session';
export const CSRF_HEADER = 'x-csrf-token';

export type AuthPreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

export interface AuthGuards {
  /** 401 unless the `fh_session` cookie names a live session; sets `request.webSession`. */
  requireUser: AuthPreHandler;
  /** requireUser, then 403 unless the `x-csrf-token` header is the session's CSRF token. */
  requireCsrf: AuthPreHandler;
  /**
   * requireUser, then 403 unless the user is an admin, then (for every method but GET, HEAD and
   * OPTIONS) the CSRF check of requireCsrf.
   */
  requireAdmin: AuthPreHandler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const STATUS = {
  invalid_request: 400,
  invalid_login_name: 400,
  password_policy: 400,
  invalid_profile: 400,
  login_taken: 409,
  invalid_credentials: 401,
  not_authenticated: 401,
  csrf_failed: 403,
  origin_mismatch: 403,
  rate_limited: 429,
  busy: 503,
  setup_token_invalid: 403,
  already_set_up: 409,
  forbidden: 403,
  local_accounts_off: 403,
  not_found: 404,
  last_admin: 409,
  link_invalid: 403,
  self_change: 409,
  wrong_password: 400,
  'totp-required': 401,
  'totp-invalid': 400,
  'totp-already-enabled': 409,
  'totp-not-set-up': 409,
  'totp-not-enabled': 409,
} satisfies Record<AuthErrorReason, number>;

/** Replies `{ error: { code, message } }` with the status that belongs to the reason. */
export function sendAuthError(reply: FastifyReply, error: AuthError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  const retry = error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds };
  return reply.code(error.status ?? STATUS[error.reason]).send({ error: { code: error.reason, message: error.message, ...retry } });
}

/** Pre-handlers for any route that needs a signed-in console user. */
export function createAuthGuards(accounts: AccountService): AuthGuards {
  const requireUser: AuthPreHandler = async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token === undefined ? undefined : await accounts.getWebSession(token);
    if (!session) return sendAuthError(reply, AuthError.notAuthenticated());
    request.webSession = session;
    return undefined;
  };

  const requireCsrf: AuthPreHandler = async (request, reply) => {
    if (!request.webSession) {
      const denied = await requireUser(request, reply);
      if (denied) return denied;
    }
    const session = request.webSession;
    const header = request.headers[CSRF_HEADER];
    if (!session || typeof header !== 'string' || !digestsEqual(sha256Hex(header), session.csrfTokenHash)) {
      request.log.warn({ sessionId: session?.sessionId }, 'request without a valid CSRF token rejected');
      return sendAuthError(reply, AuthError.csrfFailed());
    }
    return undefined;
  };

  const requireAdmin: AuthPreHandler = async (request, reply) => {
    const denied = await requireUser(request, reply);
    if (denied) return denied;
    const session = request.webSession;
    if (session?.user.role !== 'admin') {
      request.log.warn({ userId: session?.user.id, url: request.url }, 'admin route refused to a non-admin');
      return sendAuthError(reply, AuthError.forbidden());
    }
    return SAFE_METHODS.has(request.method) ? undefined : requireCsrf(request, reply);
  };

  return { requireUser, requireCsrf, requireAdmin };
}

/**
 * For routes that run before there is a session (login, setup): a browser always sends Origin on
 * a cross-site POST, so one that does not name this host is another site's form or script.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined; // "null" and other opaque origins
  }
  if (host === undefined || host.toLowerCase() !== request.host.toLowerCase()) throw AuthError.originMismatch();
}
