import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginBodySchema, setupBodySchema } from '@fernhilfe/protocol';
import type { AccountAdmin } from './account-admin.js';
import { addAccountRoutes } from './account-routes.js';
import type { AccountService } from './accounts.js';
import { AuthError } from './errors.js';
import { assertSameOrigin, createAuthGuards, SESSION_COOKIE, type AuthGuards } from './guards.js';
import { handleError, parse, signedIn } from './http-helpers.js';
import { limited, loginForLog } from './limited.js';
import { FailureLimiter, type SignInLimiter } from './rate-limit.js';
import { sessionCookieOptions, setSessionCookie } from './session-cookie.js';
import { deriveCsrfToken } from './tokens.js';
import { addTotpRoutes } from './totp-routes.js';
import { toPublicUser, type User } from './user.js';
import { countAuthFailures } from '../metrics/auth-failures.js';
import type { MetricsSink } from '../metrics/server-metrics.js';

export interface AuthRouteDeps {
  accounts: AccountService;
  /**
   * Adds `Secure` to the session cookie: true when the console is served over HTTPS (TLS here, or an
   * https PUBLIC_URL). A request that came as https through a trusted proxy (`X-Forwarded-Proto`,
   * TRUST_PROXY) gets it anyway.
   */
  secureCookies: boolean;
  /**
   * Sign-in attempts per login and address, per address, and per login (auth/sign-in-policy.ts), in
   * this node's memory by default. With several nodes (REDIS_URL) the server passes the shared one.
   */
  limiter?: SignInLimiter;
  /** LOCAL_ACCOUNTS=off: password sign-in and setup are refused (single sign-on only); default true. */
  localAccounts?: boolean;
  /** The issuer authenticator apps show for two-factor sign-in; defaults to "Fernhilfe". */
  totpIssuer?: () => Promise<string>;
  /** counts refused sign-ins and limiter refusals (metrics/) */
  metrics?: Pick<MetricsSink, 'signInFailed' | 'refused'>;
  /** account administration and one-time account links (account-routes.ts); without it those routes are not served */
  accountAdmin?: AccountAdmin;
  /** PUBLIC_URL: account links are answered as full URLs with it */
  publicUrl?: string | undefined;
}

/**
 * Console sign-in API under /api/setup and /api/auth (with two-factor under /api/auth/totp). Registers @fastify/cookie on `app` unless it
 * is already there (checked after the plugins queued so far have loaded). Returns the guards for
 * other routes; `request.webSession` is filled in by them.
 */
export async function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<AuthGuards> {
  await app.after();
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
  if (!app.hasRequestDecorator('webSession')) app.decorateRequest('webSession', null);
  const guards = createAuthGuards(deps.accounts);
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(handleError);
    if (deps.metrics) scope.addHook('onError', countAuthFailures(deps.metrics));
    const limiter = deps.limiter ?? new FailureLimiter();
    const startSession = addRoutes(scope, deps, guards, limiter);
    if (deps.accountAdmin) addAccountRoutes(scope, { admin: deps.accountAdmin, guards, limiter, publicUrl: deps.publicUrl, startSession });
    const issuer = deps.totpIssuer ?? (() => Promise.resolve('Fernhilfe'));
    addTotpRoutes(scope, { accounts: deps.accounts, guards, limiter, issuer });
    done();
  });
  return guards;
}

type StartSession = (request: FastifyRequest, reply: FastifyReply, user: User) => Promise<{ user: ReturnType<typeof toPublicUser>; csrfToken: string }>;

/** The sign-in routes; returns how they start a web session, for the other routes that sign someone in. */
function addRoutes(app: FastifyInstance, deps: AuthRouteDeps, guards: AuthGuards, limiter: SignInLimiter): StartSession {
  const { accounts } = deps;
  const { requireUser, requireCsrf } = guards;

  const secure = (request: FastifyRequest) => deps.secureCookies || request.protocol === 'https';

  const startSession: StartSession = async (request, reply, user) => {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous !== undefined) await accounts.deleteWebSession(previous);
    const session = await accounts.createWebSession(user.id);
    setSessionCookie(reply, session, secure(request));
    request.log.info({ userId: user.id }, 'console user signed in');
    return { user: toPublicUser(user), csrfToken: session.csrfToken };
  };

  // Counted like a sign-in on the address: a wrong token or a setup after the first admin is a
  // failure; the checks run before any hashing (AccountService.setupFirstAdmin).
  app.post('/api/setup', async (request, reply) => {
    assertSameOrigin(request);
    if (deps.localAccounts === false) throw AuthError.localAccountsOff();
    const body = parse(setupBodySchema, request.body);
    const user = await limited(limiter, request, { login: undefined, ip: request.ip }, async (fail) => {
      try {
        return await accounts.setupFirstAdmin(body);
      } catch (error) {
        if (error instanceof AuthError && (error.reason === 'setup_token_invalid' || error.reason === 'already_set_up')) fail();
        throw error;
      }
    });
    const result = await startSession(request, reply, user);
    return reply.code(201).send(result);
  });

  app.post('/api/auth/login', async (request, reply) => {
    assertSameOrigin(request);
    if (deps.localAccounts === false) throw AuthError.localAccountsOff();
    const body = parse(loginBodySchema, request.body);
    const user = await limited(limiter, request, { login: body.login, ip: request.ip }, async (fail) => {
      const found = await accounts.verifyLogin(body.login, body.password);
      if (!found) {
        fail();
        request.log.info({ login: loginForLog(body.login), ip: request.ip }, 'sign-in failed');
        throw AuthError.invalidCredentials();
      }
      if (found.totpEnabled) {
        // A missing code is the normal first step of a two-factor sign-in, not a failure.
        if (body.totp === undefined || body.totp.trim() === '') throw AuthError.totpRequired();
        if (!(await accounts.twoFactor.verify(found.id, body.totp))) {
          fail();
          request.log.info({ userId: found.id, ip: request.ip }, 'sign-in failed: wrong two-factor code');
          throw AuthError.totpInvalid('sign-in');
        }
      }
      return found;
    });
    return startSession(request, reply, user);
  });

  app.post('/api/auth/logout', { preHandler: requireCsrf }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token !== undefined) await accounts.deleteWebSession(token);
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure(request)));
    request.log.info({ userId: request.webSession?.user.id }, 'console user signed out');
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { preHandler: requireUser }, async (request) => {
    return { user: toPublicUser(signedIn(request).user) };
  });

  // The console keeps the CSRF token from login/setup in memory; after a reload it asks here.
  app.get('/api/auth/csrf', { preHandler: requireUser }, async (request) => {
    const token = request.cookies[SESSION_COOKIE] ?? '';
    return { csrfToken: deriveCsrfToken(token) };
  });

  app.post('/api/auth/ws-ticket', { preHandler: requireCsrf }, async (request) => {
    return { ticket: accounts.issueWsTicket(signedIn(request).user.id) };
  });
  return startSession;
}
