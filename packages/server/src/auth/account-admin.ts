import type { Account } from '@fernhilfe/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../audit/events.js';
import type { AuditLog } from '../audit/log.js';
import type { Dialect } from '../storage/database.js';
import type { Role, Schema, UserRow } from '../storage/schema.js';
import { UNSET_PASSWORD, type AccountService } from './accounts.js';
import { AuthError } from './errors.js';
import { randomToken, sha256Hex } from './tokens.js';
import { toUser, type User } from './user.js';

/** How long an invite or reset link works. */
export const ACCOUNT_LINK_TTL_MS = 7 * 24 * 60 * 60_000;

/** Ends the live sessions of an account (on every node); the broker and the cluster provide it. */
export type EndSessionsOf = (userId: string, reason: 'account-disabled') => Promise<void>;

export interface AccountAdminOptions {
  db: Kysely<Schema>;
  dialect: Dialect;
  accounts: AccountService;
  audit: AuditLog;
  logger: Logger;
  /** called when an account is disabled: its live sessions end at once, both ends told why */
  endSessionsOf?: EndSessionsOf;
  now?: () => number;
}

/** A one-time link made for an account: the token goes into `/setup#link=…`, only its hash is stored. */
export interface NewAccountLink {
  account: Account;
  token: string;
  expiresAt: number;
}

type LinkPurpose = 'invite' | 'reset';

/**
 * What admins (console) and the operator (CLI) do with accounts: list, invite, change the role,
 * disable and enable, reset the password (a link) or two-factor sign-in. Every change is written to
 * the audit trail with who made it. The last enabled administrator who can sign in can be neither
 * disabled nor demoted: checked inside the transaction that makes the change (rows locked on
 * PostgreSQL), so two admins demoting each other at once cannot both succeed.
 */
export class AccountAdmin {
  readonly #db: Kysely<Schema>;
  readonly #opts: AccountAdminOptions;
  readonly #now: () => number;

  constructor(opts: AccountAdminOptions) {
    this.#db = opts.db;
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  async list(): Promise<Account[]> {
    const rows = await this.#db.selectFrom('users').selectAll().orderBy('login').execute();
    return rows.map(toAccount);
  }

  /** The account with this login name (any case); AuthError not_found otherwise. */
  async byLogin(login: string): Promise<Account> {
    const row = await this.#db.selectFrom('users').selectAll().where('login', '=', login.toLowerCase()).executeTakeFirst();
    if (!row) throw AuthError.accountNotFound();
    return toAccount(row);
  }

  async get(id: string): Promise<Account> {
    return toAccount(await this.#row(this.#db, id));
  }

  /** A new account without a password, and the link its owner sets one with. */
  async invite(input: { login: string; displayName: string; company: string; role: Role }, actor: Actor): Promise<NewAccountLink> {
    const user = await this.#opts.accounts.createInvitedUser(input);
    const link = await this.#newLink(user.id, 'invite', actor);
    await this.#audit('account-invited', actor, { userId: user.id, login: user.login, role: user.role });
    return { account: await this.get(user.id), ...link };
  }

  async setRole(id: string, role: Role, actor: Actor): Promise<Account> {
    const before = await this.#db.transaction().execute(async (trx) => {
      const row = await this.#row(trx, id);
      if (row.role === role) return row;
      if (role !== 'admin') await this.#keepAnAdmin(trx, id, 'demote');
      await trx.updateTable('users').set({ role }).where('id', '=', id).execute();
      return row;
    });
    if (before.role !== role) await this.#audit('account-role-changed', actor, { userId: id, login: before.login, from: before.role, to: role });
    return this.get(id);
  }

  /** Disables the account: signed out everywhere at once, its tickets refused, its live sessions ended. */
  async disable(id: string, actor: Actor): Promise<Account> {
    if (actor === `admin:${id}`) throw AuthError.selfChange();
    const row = await this.#db.transaction().execute(async (trx) => {
      const found = await this.#row(trx, id);
      if (found.disabled_at !== null) return found;
      await this.#keepAnAdmin(trx, id, 'disable');
      await trx.updateTable('users').set({ disabled_at: this.#now() }).where('id', '=', id).execute();
      return found;
    });
    // also when it was disabled already: nothing of it may live on
    const sessions = await this.#opts.accounts.signOutEverywhere(id);
    await this.#opts.endSessionsOf?.(id, 'account-disabled');
    if (row.disabled_at === null) await this.#audit('account-disabled', actor, { userId: id, login: row.login, webSessionsEnded: sessions });
    this.#opts.logger.info({ userId: id, actor, webSessions: sessions }, 'account disabled');
    return this.get(id);
  }

  async enable(id: string, actor: Actor): Promise<Account> {
    const row = await this.#row(this.#db, id);
    if (row.disabled_at !== null) {
      await this.#db.updateTable('users').set({ disabled_at: null }).where('id', '=', id).execute();
      await this.#audit('account-enabled', actor, { userId: id, login: row.login });
    }
    return this.get(id);
  }

  /** A link that sets a new password; the old one keeps working until the link is used. */
  async resetPassword(id: string, actor: Actor): Promise<NewAccountLink> {
    const row = await this.#row(this.#db, id);
    const link = await this.#newLink(id, 'reset', actor);
    await this.#audit('account-password-reset', actor, { userId: id, login: row.login });
    return { account: toAccount(row), ...link };
  }

  /** Switches two-factor sign-in off (the owner lost the phone); they may set it up again. */
  async resetTotp(id: string, actor: Actor): Promise<Account> {
    const row = await this.#row(this.#db, id);
    await this.#db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', id).execute();
    await this.#audit('account-2fa-reset', actor, { userId: id, login: row.login, wasEnabled: row.totp_enabled_at !== null });
    return this.get(id);
  }

  /**
   * The holder of a one-time link sets the account's password. The token is checked (cheap) before
   * the password is hashed; the link is used up in the same UPDATE that sets the password. Every
   * older web session of the account ends.
   */
  async setPasswordWithLink(token: string, password: string): Promise<User> {
    const hash = sha256Hex(token);
    const now = this.#now();
    const valid = await this.#db
      .selectFrom('account_links as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select('u.disabled_at')
      .where('l.token_hash', '=', hash)
      .where('l.used_at', 'is', null)
      .where('l.expires_at', '>', now)
      .executeTakeFirst();
    // a disabled account's link waits until the account is enabled again
    if (!valid || valid.disabled_at !== null) throw AuthError.linkInvalid();
    const passwordHash = await this.#opts.accounts.hashNewPassword(password);
    const userId = await this.#db.transaction().execute(async (trx) => {
      const used = await trx.updateTable('account_links').set({ used_at: now }).where('token_hash', '=', hash).where('used_at', 'is', null).where('expires_at', '>', now).returning('user_id').executeTakeFirst();
      if (!used) throw AuthError.linkInvalid();
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', used.user_id).execute();
      // one link per account at a time: the others die with this one
      await trx.updateTable('account_links').set({ used_at: now }).where('user_id', '=', used.user_id).where('used_at', 'is', null).execute();
      return used.user_id;
    });
    await this.#opts.accounts.signOutEverywhere(userId);
    const row = await this.#row(this.#db, userId);
    await this.#audit('account-password-set', `${row.role}:${userId}`, { userId, login: row.login });
    return toUser(row);
  }

  /** A signed-in user changes their own password (the old one is required); their other web sessions end. */
  async changeOwnPassword(user: User, sessionId: string, oldPassword: string, newPassword: string): Promise<void> {
    if (!(await this.#opts.accounts.checkPassword(user.id, oldPassword))) throw AuthError.wrongPassword();
    const passwordHash = await this.#opts.accounts.hashNewPassword(newPassword);
    await this.#db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    await this.#opts.accounts.signOutEverywhere(user.id, sessionId);
    await this.#audit('password-changed', `${user.role}:${user.id}`, { userId: user.id, login: user.login });
  }

  async #newLink(userId: string, purpose: LinkPurpose, actor: Actor): Promise<{ token: string; expiresAt: number }> {
    const token = randomToken();
    const now = this.#now();
    const expiresAt = now + ACCOUNT_LINK_TTL_MS;
    await this.#db.transaction().execute(async (trx) => {
      // a new link replaces any older one of the account
      await trx.updateTable('account_links').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
      await trx.insertInto('account_links').values({ token_hash: sha256Hex(token), user_id: userId, purpose, created_by: actor, created_at: now, expires_at: expiresAt, used_at: null }).execute();
    });
    return { token, expiresAt };
  }

  /** Throws unless another enabled admin who can sign in remains once `id` is disabled or demoted. */
  async #keepAnAdmin(trx: Transaction<Schema>, id: string, change: 'disable' | 'demote'): Promise<void> {
    let query = trx.selectFrom('users').select(['id', 'role', 'disabled_at', 'password_hash']).where('role', '=', 'admin');
    if (this.#opts.dialect === 'postgres') query = query.forUpdate();
    const admins = await query.execute();
    const target = admins.find((a) => a.id === id);
    if (!target || target.disabled_at !== null) return; // not an active admin: the rule does not apply
    const others = admins.filter((a) => a.id !== id && a.disabled_at === null && a.password_hash !== UNSET_PASSWORD);
    if (others.length === 0) throw AuthError.lastAdmin(change);
  }

  async #row(db: Kysely<Schema>, id: string): Promise<UserRow> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw AuthError.accountNotFound();
    return row;
  }

  async #audit(event: Parameters<AuditLog['append']>[0]['event'], actor: Actor, data: Record<string, string | number | boolean | null>): Promise<void> {
    await this.#opts.audit.append({ sessionId: null, event, actor, data });
  }
}

export function toAccount(row: UserRow): Account {
  return { ...toUser(row), lastSignInAt: row.last_sign_in_at, pending: row.password_hash === UNSET_PASSWORD };
}
