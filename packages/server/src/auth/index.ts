export { AccountService, LOGIN_PATTERN, SETUP_TOKEN_TTL_MS } from './accounts.js';
export type { AccountServiceOptions, NewUser } from './accounts.js';
export { AuthError } from './errors.js';
export type { AuthErrorReason } from './errors.js';
export {
  assertSameOrigin,
  createAuthGuards,
  CSRF_HEADER,
  sendAuthError,
  SESSION_COOKIE,
} from './guards.js';
export type { AuthGuards, AuthPreHandler } from './guards.js';
export { checkPasswordPolicy, hashPassword, verifyPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.js';
export { HashGate } from './hash-gate.js';
export type { HashGateOptions } from './hash-gate.js';
export { FailureLimiter, SIGN_IN_MAX_FAILURES, SIGN_IN_POLICY, SIGN_IN_WINDOW_MS } from './rate-limit.js';
export type { Admission, FailureLimiterOptions, SignInAttempt, SignInLimiter, SignInOutcome, SignInPolicy, SignInTicket } from './rate-limit.js';
export { registerAuthRoutes } from './routes.js';
export { sessionCookieOptions, setSessionCookie } from './session-cookie.js';
export { newTotpSecret, totpStep, totpUri, TOTP_PERIOD_SECONDS } from './totp.js';
export { TwoFactor } from './two-factor.js';
export type { TotpSetup } from './two-factor.js';
export type { AuthRouteDeps } from './routes.js';
export type { User } from './user.js';
export { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './web-sessions.js';
export type { NewWebSession, WebSession } from './web-sessions.js';
export { WS_TICKET_TTL_MS } from './ws-tickets.js';
