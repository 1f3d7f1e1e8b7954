import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inviteBodySchema, linkPasswordBodySchema, passwordChangeBodySchema, roleBodySchema, type AccountLink } from '@fernhilfe/protocol';
import { z } from 'zod';
import type { Actor } from '../audit/events.js';
import type { AccountAdmin, NewAccountLink } from './account-admin.js';
import { AuthError } from './errors.js';
import { assertSameOrigin, type AuthGuards } from './guards.js';
import { parse, signedIn } from './http-helpers.js';
import { limited } from './limited.js';
import type { SignInLimiter } from './rate-limit.js';
import type { User } from './user.js';

export interface AccountRouteDeps {
  admin: AccountAdmin;
  guards: AuthGuards;
  limiter: SignInLimiter;
  /** the public base URL (PUBLIC_URL) links are shown with; without it the reply carries the path only */
  publicUrl: string | undefined;
  /** signs the user in on this request (cookie + CSRF token), as POST /api/auth/login does */
  startSession(request: FastifyRequest, reply: FastifyReply, user: User): Promise<unknown>;
}

const idParam = z.strictObject({ id: z.string().min(1).max(100) });

/** The path of a one-time account link (the token in the fragment, so it reaches no server log). */
export function accountLinkPath(token: string): string {
  return `/setup#link=${token}`;
}

/**
 * Accounts: /api/admin/accounts… (admins), POST /api/setup/password (the holder of a one-time link,
 * public like /api/setup and limited the same way), POST /api/account/password (own password).
 * Own two-factor sign-in stays at /api/auth/totp/*.
 */
export function addAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  const { admin, limiter } = deps;
  const { requireAdmin, requireCsrf } = deps.guards;
  const actorOf = (request: FastifyRequest): Actor => `admin:${signedIn(request).user.id}`;
  const idOf = (request: FastifyRequest) => parse(idParam, request.params).id;
  const linkReply = (link: NewAccountLink): AccountLink => {
    const path = accountLinkPath(link.token);
    return { account: link.account, path, ...(deps.publicUrl ? { url: `${deps.publicUrl.replace(/\/$/, '')}${path}` } : {}), expiresAt: link.expiresAt };
  };

  app.post('/api/setup/password', async (request, reply) => {
    assertSameOrigin(request);
    const body = parse(linkPasswordBodySchema, request.body);
    const user = await limited(limiter, request, { login: undefined, ip: request.ip }, async (fail) => {
      try {
        return await admin.setPasswordWithLink(body.token, body.password);
      } catch (error) {
        if (error instanceof AuthError && error.reason === 'link_invalid') fail();
        throw error;
      }
    });
    return deps.startSession(request, reply, user);
  });

  app.post('/api/account/password', { preHandler: requireCsrf }, async (request, reply) => {
    const body = parse(passwordChangeBodySchema, request.body);
    const session = signedIn(request);
    // a wrong current password counts like a wrong sign-in: a stolen session cannot guess it fast
    await limited(limiter, request, { login: session.user.login, ip: request.ip }, async (fail) => {
      try {
        await admin.changeOwnPassword(session.user, session.sessionId, body.oldPassword, body.newPassword);
      } catch (error) {
        if (error instanceof AuthError && error.reason === 'wrong_password') fail();
        throw error;
      }
    });
    return reply.code(204).send();
  });

  app.get('/api/admin/accounts', { preHandler: requireAdmin }, async () => ({ accounts: await admin.list() }));

  app.post('/api/admin/accounts', { preHandler: requireAdmin }, async (request) => {
    const body = parse(inviteBodySchema, request.body);
    return linkReply(await admin.invite(body, actorOf(request)));
  });

  app.post('/api/admin/accounts/:id/role', { preHandler: requireAdmin }, async (request) => {
    const { role } = parse(roleBodySchema, request.body);
    return { account: await admin.setRole(idOf(request), role, actorOf(request)) };
  });

  app.post('/api/admin/accounts/:id/disable', { preHandler: requireAdmin }, async (request) => ({
    account: await admin.disable(idOf(request), actorOf(request)),
  }));

  app.post('/api/admin/accounts/:id/enable', { preHandler: requireAdmin }, async (request) => ({
    account: await admin.enable(idOf(request), actorOf(request)),
  }));

  app.post('/api/admin/accounts/:id/reset-password', { preHandler: requireAdmin }, async (request) => linkReply(await admin.resetPassword(idOf(request), actorOf(request))));

  app.post('/api/admin/accounts/:id/reset-2fa', { preHandler: requireAdmin }, async (request) => ({
    account: await admin.resetTotp(idOf(request), actorOf(request)),
  }));
}
