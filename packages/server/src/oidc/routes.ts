import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomNonce, randomPKCECodeVerifier } from 'openid-client';
import { z } from 'zod';
import type { AccountService } from '../auth/accounts.js';
import { setSessionCookie } from '../auth/session-cookie.js';
import type { AuditLog } from '../audit/log.js';
import { displayNameFromClaims, loginBaseFromClaims, roleFromClaims } from './claims.js';
import type { OidcConfig } from './config.js';
import { OidcError } from './errors.js';
import type { RegisterLimits } from '../rendezvous/register-limits.js';
import type { PendingSignIns } from './pending.js';
import { PENDING_SIGN_IN_MS } from './pending.js';
import type { OidcProvider } from './provider.js';
import type { SsoUsers } from './users.js';

/** Binds a sign-in to the browser that started it; SameSite=Lax so it comes back with the provider's redirect. */
export const OIDC_COOKIE = 'fh_oidc';
const COOKIE_PATH = '/api/auth/oidc';
/** Sign-ins one address may start per minute (each writes a pending row, kept 10 minutes). */
export const SSO_STARTS_PER_MINUTE = 30;
/** Where the browser lands after the callback; a refusal adds `?sso-error=<reason>`. */
const CONSOLE = '/console/';

export interface OidcRouteDeps {
  /** undefined: single sign-on is off (the options route says so, the others send the console an error) */
  oidc: { settings: OidcConfig; provider: OidcProvider; pending: PendingSignIns; users: SsoUsers; starts: RegisterLimits } | undefined;
  localAccounts: boolean;
  accounts: AccountService;
  audit: AuditLog;
  /** the session cookie gets `Secure` (as auth/routes.ts decides it) */
  secureCookies: boolean;
}

const callbackQuery = z.object({
  state: z.string().min(1).max(512).optional(),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/**
 * Single sign-on with OpenID Connect (docs/sso.md), all public (the person is not signed in yet):
 * GET /api/auth/oidc/options (what the sign-in form offers), GET /api/auth/oidc/start (to the
 * provider), GET /api/auth/oidc/callback (back from it: a web session made by AccountService, as
 * for a password).
 */
export function registerOidcRoutes(app: FastifyInstance, deps: OidcRouteDeps): void {
  const secure = (request: FastifyRequest) => deps.secureCookies || request.protocol === 'https';
  const bindingCookie = (request: FastifyRequest): CookieSerializeOptions => ({ path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: secure(request) });
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const reason = error instanceof OidcError ? error.reason : 'provider-unavailable';
    if (error instanceof OidcError) request.log.info({ reason, detail: error.message }, 'single sign-on refused');
    else request.log.error({ err: error }, 'single sign-on failed');
    return reply.redirect(`${CONSOLE}?sso-error=${reason}`, 303);
  };

  app.get('/api/auth/oidc/options', async () => ({
    sso: deps.oidc ? { providerName: deps.oidc.settings.providerName } : null,
    localAccounts: deps.localAccounts,
  }));

  app.get('/api/auth/oidc/start', async (request, reply) => {
    try {
      if (!deps.oidc) throw OidcError.notConfigured();
      const wait = deps.oidc.starts.take(request.ip);
      if (wait > 0) throw OidcError.tooMany(wait);
      const pending = await deps.oidc.pending.create({ nonce: randomNonce(), codeVerifier: randomPKCECodeVerifier() });
      const target = await deps.oidc.provider.authorizationUrl(pending);
      reply.setCookie(OIDC_COOKIE, pending.browserToken, { ...bindingCookie(request), maxAge: PENDING_SIGN_IN_MS / 1000 });
      return reply.redirect(target.href, 303);
    } catch (error) {
      return refuse(request, reply, error);
    }
  });

  app.get('/api/auth/oidc/callback', async (request, reply) => {
    const browserToken = request.cookies[OIDC_COOKIE];
    reply.clearCookie(OIDC_COOKIE, bindingCookie(request));
    try {
      const oidc = deps.oidc;
      if (!oidc) throw OidcError.notConfigured();
      const query = callbackQuery.safeParse(request.query);
      if (!query.success || query.data.state === undefined) throw OidcError.stateInvalid();
      const pending = await oidc.pending.take(query.data.state, browserToken);
      if (!pending) throw OidcError.stateInvalid();
      const callbackUrl = new URL(oidc.settings.redirectUri);
      callbackUrl.search = new URL(request.url, 'http://x').search;
      const signIn = await oidc.provider.finish(callbackUrl, pending);

      const role = roleFromClaims(signIn.claims, oidc.settings);
      if (!role) throw OidcError.noRole(oidc.settings.roleClaim);
      const account = await oidc.users.signIn({
        issuer: signIn.issuer,
        subject: signIn.subject,
        role,
        displayName: displayNameFromClaims(signIn.claims, oidc.settings.nameClaim),
        loginBase: loginBaseFromClaims(signIn.claims),
      });
      const { user } = account;
      if (user.disabledAt !== null) throw OidcError.accountDisabled();
      if (account.created) {
        await deps.audit.append({ sessionId: null, event: 'sso-account-created', actor: 'server', data: { userId: user.id, login: user.login, role: user.role, issuer: signIn.issuer } });
      }
      await deps.audit.append({
        sessionId: null,
        event: 'sso-signed-in',
        actor: `${user.role}:${user.id}`,
        data: { userId: user.id, issuer: signIn.issuer, role: user.role, previousRole: account.previousRole ?? null },
      });
      // the same web session as a password sign-in (AccountService), in the same cookie
      setSessionCookie(reply, await deps.accounts.createWebSession(user.id), secure(request));
      request.log.info({ userId: user.id, created: account.created }, 'console user signed in by single sign-on');
      return reply.redirect(CONSOLE, 303);
    } catch (error) {
      return refuse(request, reply, error);
    }
  });
}
