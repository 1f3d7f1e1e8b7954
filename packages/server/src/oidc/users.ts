import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AuthError } from '../auth/errors.js';
import { hashPassword } from '../auth/password.js';
import { randomToken } from '../auth/tokens.js';
import { toUser, type User } from '../auth/user.js';
import { isUniqueViolation } from '../storage/errors.js';
import type { Role, Schema, UserRow } from '../storage/schema.js';

export interface SsoIdentity {
  issuer: string;
  subject: string;
  role: Role;
  displayName: string;
  /** a login name to start from when the account is new (a number is added when it is taken) */
  loginBase: string;
}

export interface SsoAccount {
  user: User;
  /** made at this sign-in */
  created: boolean;
  /** the role before this sign-in, when the provider's claim changed it */
  previousRole: Role | undefined;
}

const LOGIN_TRIES = 20;

/**
 * Accounts of single sign-on: found by (issuer, subject), never by login name or e-mail (a local
 * account with the same name stays someone else's), created at the first sign-in, and given the
 * role and display name from the provider at every sign-in. They have no password: the stored
 * hash is of a random secret nobody knows, so password sign-in fails for them like a wrong password
 * and costs as long.
 */
export class SsoUsers {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly passwordCost: number,
    private readonly now: () => number = Date.now,
  ) {}

  async signIn(identity: SsoIdentity): Promise<SsoAccount> {
    const existing = await this.#find(identity);
    if (existing) return this.#update(existing, identity);
    try {
      return { user: await this.#create(identity), created: true, previousRole: undefined };
    } catch (error) {
      // another node created it a moment ago (two tabs signing in at once)
      const raced = isUniqueViolation(error) ? await this.#find(identity) : undefined;
      if (!raced) throw error;
      return this.#update(raced, identity);
    }
  }

  async #find(identity: SsoIdentity): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('oidc_issuer', '=', identity.issuer)
      .where('oidc_subject', '=', identity.subject)
      .executeTakeFirst();
  }

  async #update(row: UserRow, identity: SsoIdentity): Promise<SsoAccount> {
    // a disabled account keeps what it had: nothing about it changes by trying to sign in
    if (row.disabled_at !== null) return { user: toUser(row), created: false, previousRole: undefined };
    const changed = row.role !== identity.role || row.display_name !== identity.displayName;
    if (changed) {
      await this.db.updateTable('users').set({ role: identity.role, display_name: identity.displayName }).where('id', '=', row.id).execute();
    }
    const user = toUser({ ...row, role: identity.role, display_name: identity.displayName });
    return { user, created: false, previousRole: row.role !== identity.role ? row.role : undefined };
  }

  async #create(identity: SsoIdentity): Promise<User> {
    const password_hash = await hashPassword(randomToken(), this.passwordCost);
    const base = identity.loginBase;
    const logins = [base, ...Array.from({ length: LOGIN_TRIES }, (_, i) => `${base}-${i + 2}`), `sso-${randomUUID().slice(0, 8)}`];
    for (const login of logins) {
      const row = {
        id: randomUUID(),
        login,
        display_name: identity.displayName,
        company: '',
        role: identity.role,
        password_hash,
        created_at: this.now(),
        disabled_at: null,
        totp_enabled_at: null,
        oidc_issuer: identity.issuer,
        oidc_subject: identity.subject,
      };
      try {
        await this.db.insertInto('users').values(row).execute();
        return toUser(row);
      } catch (error) {
        // a taken login name: try the next; anything else (or this identity now exists) goes up
        if (!isUniqueViolation(error) || (await this.#find(identity))) throw error;
      }
    }
    throw AuthError.loginTaken(); // twenty-two names taken, a random one too
  }
}
