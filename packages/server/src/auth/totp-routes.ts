import type { FastifyInstance, FastifyRequest } from 'fastify';
import { totpCodeBodySchema } from '@fernhilfe/protocol';
import type { AccountService } from './accounts.js';
import { AuthError } from './errors.js';
import type { AuthGuards } from './guards.js';
import { parse, signedIn } from './http-helpers.js';
import { limited } from './limited.js';
import type { SignInLimiter } from './rate-limit.js';

export interface TotpRouteDeps {
  accounts: AccountService;
  guards: AuthGuards;
  /** Shared with sign-in: wrong codes here count against the account like wrong passwords. */
  limiter: SignInLimiter;
  /** The issuer shown in authenticator apps. */
  issuer: () => Promise<string>;
}

/** POST /api/auth/totp/{setup,enable,disable}: a signed-in user manages their own two-factor sign-in. */
export function addTotpRoutes(app: FastifyInstance, deps: TotpRouteDeps): void {
  const { accounts, limiter } = deps;
  const { requireCsrf } = deps.guards;

  /** Runs a code check under the account's sign-in budget from this address. */
  const withCodeBudget = async (request: FastifyRequest, check: (userId: string) => Promise<void>) => {
    const { user } = signedIn(request);
    await limited(limiter, request, { login: user.login, ip: request.ip }, async (fail) => {
      try {
        await check(user.id);
      } catch (error) {
        if (error instanceof AuthError && error.reason === 'totp-invalid') fail();
        throw error;
      }
    });
  };

  app.post('/api/auth/totp/setup', { preHandler: requireCsrf }, async (request) => {
    const { user } = signedIn(request);
    return accounts.twoFactor.setup(user, await deps.issuer());
  });

  app.post('/api/auth/totp/enable', { preHandler: requireCsrf }, async (request, reply) => {
    const { code } = parse(totpCodeBodySchema, request.body);
    await withCodeBudget(request, (userId) => accounts.twoFactor.enable(userId, code));
    return reply.code(204).send();
  });

  app.post('/api/auth/totp/disable', { preHandler: requireCsrf }, async (request, reply) => {
    const { code } = parse(totpCodeBodySchema, request.body);
    await withCodeBudget(request, (userId) => accounts.twoFactor.disable(userId, code));
    return reply.code(204).send();
  });
}
