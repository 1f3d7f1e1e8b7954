import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AccountService } from '../auth/accounts.js';
import type { AuditLog } from '../audit/log.js';
import type { Schema } from '../storage/schema.js';
import type { OidcConfig } from './config.js';
import { PendingSignIns } from './pending.js';
import { OidcProvider } from './provider.js';
import { RegisterLimits } from '../rendezvous/register-limits.js';
import { registerOidcRoutes, SSO_STARTS_PER_MINUTE } from './routes.js';
import { SsoUsers } from './users.js';

export { parseOidcConfig, oidcEnvShape, type OidcConfig } from './config.js';
export { OidcError, type OidcFailure } from './errors.js';
export { OIDC_COOKIE } from './routes.js';

export interface SingleSignOnOptions {
  app: FastifyInstance;
  db: Kysely<Schema>;
  log: Logger;
  oidc: OidcConfig | undefined;
  localAccounts: boolean;
  accounts: AccountService;
  audit: AuditLog;
  secureCookies: boolean;
  passwordCost: number;
}

/**
 * Single sign-on (docs/sso.md): the routes under /api/auth/oidc/, and with LOCAL_ACCOUNTS=off the
 * end of every web session of a password account still open from before. Returns the pruning of
 * abandoned sign-ins for the server's sweeper.
 */
export async function setupSingleSignOn(o: SingleSignOnOptions): Promise<{ pruneExpired(): Promise<number> }> {
  const pending = new PendingSignIns(o.db);
  if (!o.localAccounts) {
    const ended = await o.db
      .deleteFrom('web_sessions')
      .where('user_id', 'in', o.db.selectFrom('users').select('id').where('oidc_subject', 'is', null))
      .executeTakeFirst();
    if (ended.numDeletedRows > 0n) o.log.info({ sessions: Number(ended.numDeletedRows) }, 'LOCAL_ACCOUNTS=off: signed out the password accounts');
  }
  const starts = new RegisterLimits({ perAddress: SSO_STARTS_PER_MINUTE });
  const oidc = o.oidc ? { settings: o.oidc, provider: new OidcProvider(o.oidc, o.log), pending, users: new SsoUsers(o.db, o.passwordCost), starts } : undefined;
  if (o.oidc) o.log.info({ issuer: o.oidc.issuer.href, clientId: o.oidc.clientId, redirectUri: o.oidc.redirectUri, localAccounts: o.localAccounts }, 'single sign-on configured');
  registerOidcRoutes(o.app, { oidc, localAccounts: o.localAccounts, accounts: o.accounts, audit: o.audit, secureCookies: o.secureCookies });
  return {
    pruneExpired: () => {
      starts.sweep();
      return pending.deleteExpired();
    },
  };
}
