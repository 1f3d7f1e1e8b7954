import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../keys/secret-box.js';
import type { Logger } from 'pino';
import { isUniqueViolation } from '../storage/errors.js';
import { ROLES, type Role, type Schema } from '../storage/schema.js';
import { AuthError } from './errors.js';
import { HashGate } from './hash-gate.js';
import { checkPasswordPolicy, DEFAULT_PASSWORD_COST, hashPassword, needsRehash, verifyPassword } from './password.js';
import { randomToken, sha256Hex } from './tokens.js';
import { TwoFactor } from './two-factor.js';
import { toUser, type User } from './user.js';
import { WebSessions, type NewWebSession, type WebSession } from './web-sessions.js';
import { WsTickets, type TicketStore } from './ws-tickets.js';

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60_000;
/** The password hash of an invited account whose owner has not set a password yet: matches no password. */
export const UNSET_PASSWORD = '!unset';
/** Applies after lowercasing. */
export const LOGIN_PATTERN = /^[a-z0-9._-]{3,64}$/;
const PROFILE_MAX_LENGTH = 100;

export interface NewUser {
  login: string;
  password: string;
  role: Role;
  displayName: string;
  company: string;
}

export interface AccountServiceOptions {
  db: Kysely<Schema>;
  logger: Logger;
  now?: () => number;
  /** WebSocket tickets (default: this node's memory; with several nodes, tickets any node redeems) */
  tickets?: TicketStore;
  /** encrypts TOTP secrets at rest (the server key file's TOTP key); default: a key for this process only */
  totpBox?: SecretBox;
  /** bounds password hashing server-wide (default: one gate per service, which is one per server) */
  hashGate?: HashGate;
  /** scrypt's log2 N for new hashes (PASSWORD_COST); default 17. Older, cheaper hashes are redone at sign-in. */
  passwordCost?: number;
}

/** Technician and admin accounts, console sign-in sessions, setup tokens, WebSocket tickets and two-factor. */
export class AccountService {
  readonly #db: Kysely<Schema>;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #sessions: WebSessions;
  readonly #tickets: TicketStore;
  readonly #gate: HashGate;
  readonly #cost: number;
  /** TOTP set-up and code checks for these accounts. */
  readonly twoFactor: TwoFactor;
  /** Hashed once so that unknown logins cost as much as known ones. */
  readonly #dummyHash: Promise<string>;

  constructor(opts: AccountServiceOptions) {
    this.#db = opts.db;
    this.#log = opts.logger;
    this.#now = opts.now ?? Date.now;
    this.#sessions = new WebSessions(opts.db, this.#now);
    this.#tickets = opts.tickets ?? new WsTickets(this.#now);
    this.#gate = opts.hashGate ?? new HashGate();
    this.#cost = opts.passwordCost ?? DEFAULT_PASSWORD_COST;
    this.twoFactor = new TwoFactor({ db: opts.db, logger: opts.logger, now: this.#now, box: opts.totpBox });
    this.#dummyHash = hashPassword(randomToken(), this.#cost);
    this.#dummyHash.catch(() => undefined); // awaited (and so reported) on first use
  }

  async createUser(input: NewUser): Promise<User> {
    const values = await prepareUser(input, this.#gate, this.#cost);
    const user = await this.#insertUser(this.#db, values);
    this.#log.info({ userId: user.id, login: user.login, role: user.role }, 'user created');
    return user;
  }

  /** An invited account: no password until its owner sets one through an account link (account-admin.ts). */
  async createInvitedUser(input: Omit<NewUser, 'password'>): Promise<User> {
    const user = await this.#insertUser(this.#db, { ...checkProfile(input), password_hash: UNSET_PASSWORD });
    this.#log.info({ userId: user.id, login: user.login, role: user.role }, 'user invited');
    return user;
  }

  /**
   * Creates the first admin with a setup token. The cheap checks (no admin yet, the token is valid)
   * come before the password is hashed, so a wrong or late request costs one query; token,
   * emptiness check and insert are then one transaction.
   */
  async setupFirstAdmin(input: Omit<NewUser, 'role'> & { token: string }): Promise<User> {
    if ((await this.countUsers()) > 0) throw AuthError.alreadySetUp();
    if (!(await this.#setupTokenValid(input.token))) throw AuthError.setupTokenInvalid();
    const values = await prepareUser({ ...input, role: 'admin' }, this.#gate, this.#cost);
    const user = await this.#db.transaction().execute(async (trx) => {
      if ((await countUsersIn(trx)) > 0) throw AuthError.alreadySetUp();
      if (!(await this.#consumeSetupTokenIn(trx, input.token))) throw AuthError.setupTokenInvalid();
      return this.#insertUser(trx, values);
    });
    this.#log.info({ userId: user.id, login: user.login }, 'first admin created with setup token');
    return user;
  }

  countUsers(): Promise<number> {
    return countUsersIn(this.#db);
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  /**
   * The user for a correct login and password, if the account is enabled. A hash made with weaker
   * parameters than today's is replaced by a new one while the password is at hand.
   * Throws AuthError.busy() when too many hashes are waiting already.
   */
  async verifyLogin(login: string, password: string): Promise<User | undefined> {
    const normalized = login.toLowerCase();
    const row = LOGIN_PATTERN.test(normalized)
      ? await this.#db.selectFrom('users').selectAll().where('login', '=', normalized).executeTakeFirst()
      : undefined;
    // an invited account without a password yet costs the same as an unknown login
    const stored = row && row.password_hash !== UNSET_PASSWORD ? row.password_hash : await this.#dummyHash;
    const ok = await this.#gate.run(() => verifyPassword(password, stored));
    if (!row || !ok || row.disabled_at !== null || row.password_hash === UNSET_PASSWORD) return undefined;
    if (needsRehash(row.password_hash, this.#cost)) await this.#rehash(row.id, row.password_hash, password);
    return toUser(row);
  }

  createWebSession(userId: string): Promise<NewWebSession> {
    return this.#sessions.create(userId);
  }

  getWebSession(token: string): Promise<WebSession | undefined> {
    return this.#sessions.get(token);
  }

  deleteWebSession(token: string): Promise<void> {
    return this.#sessions.delete(token);
  }

  /** Ends every web session of an account (disable, new password) but `exceptSessionId` (the one changing it). */
  signOutEverywhere(userId: string, exceptSessionId?: string): Promise<number> {
    return this.#sessions.deleteAllOf(userId, exceptSessionId);
  }

  /** Checks the password policy and hashes a new password through the server's hash gate. */
  async hashNewPassword(password: string): Promise<string> {
    checkPasswordPolicy(password);
    return this.#gate.run(() => hashPassword(password, this.#cost));
  }

  /** True when `password` is the account's current one (through the hash gate; false for an account without one). */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    const row = await this.#db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
    const stored = row && row.password_hash !== UNSET_PASSWORD ? row.password_hash : await this.#dummyHash;
    const ok = await this.#gate.run(() => verifyPassword(password, stored));
    return ok && row !== undefined && row.password_hash !== UNSET_PASSWORD;
  }

  /** A token for POST /api/setup, valid 24 h; show it to the operator, never log it. */
  async createSetupToken(): Promise<string> {
    const token = randomToken();
    const now = this.#now();
    await this.#db
      .insertInto('setup_tokens')
      .values({ token_hash: sha256Hex(token), created_at: now, expires_at: now + SETUP_TOKEN_TTL_MS })
      .execute();
    this.#log.info({ expiresAt: now + SETUP_TOKEN_TTL_MS }, 'setup token created');
    return token;
  }

  /** True exactly once for a valid, unexpired token. */
  consumeSetupToken(token: string): Promise<boolean> {
    return this.#consumeSetupTokenIn(this.#db, token);
  }

  issueWsTicket(userId: string): string {
    return this.#tickets.issue(userId);
  }

  async consumeWsTicket(ticket: string): Promise<User | undefined> {
    const userId = await this.#tickets.take(ticket);
    const user = userId === undefined ? undefined : await this.getUser(userId);
    return user && user.disabledAt === null ? user : undefined;
  }

  /** Deletes expired web sessions and setup tokens; call now and then. */
  async pruneExpired(): Promise<void> {
    const sessions = await this.#sessions.deleteExpired();
    const tokens = await this.#db.deleteFrom('setup_tokens').where('expires_at', '<=', this.#now()).executeTakeFirst();
    this.#log.debug({ sessions, setupTokens: Number(tokens.numDeletedRows) }, 'pruned expired credentials');
  }

  async #rehash(userId: string, old: string, password: string): Promise<void> {
    try {
      const fresh = await this.#gate.run(() => hashPassword(password, this.#cost));
      // only if nobody changed the password meanwhile
      await this.#db.updateTable('users').set({ password_hash: fresh }).where('id', '=', userId).where('password_hash', '=', old).execute();
      this.#log.info({ userId }, 'password hash upgraded to the current scrypt cost');
    } catch (err) {
      // the sign-in itself succeeded; the next one tries again
      this.#log.warn({ userId, reason: err instanceof Error ? err.message : String(err) }, 'password hash upgrade failed');
    }
  }

  async #setupTokenValid(token: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('setup_tokens')
      .select('token_hash')
      .where('token_hash', '=', sha256Hex(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.#now())
      .executeTakeFirst();
    return row !== undefined;
  }

  async #consumeSetupTokenIn(db: Kysely<Schema>, token: string): Promise<boolean> {
    const now = this.#now();
    const result = await db
      .updateTable('setup_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', sha256Hex(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async #insertUser(db: Kysely<Schema>, values: PreparedUser): Promise<User> {
    const row = { id: randomUUID(), created_at: this.#now(), disabled_at: null, totp_enabled_at: null, last_sign_in_at: null, ...values };
    try {
      await db.insertInto('users').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw AuthError.loginTaken();
      throw error;
    }
    return toUser(row);
  }
}

type PreparedUser = { login: string; display_name: string; company: string; role: Role; password_hash: string };

/** Validates a new account (throwing AuthError) and hashes its password through the gate. */
async function prepareUser(input: NewUser, gate: HashGate, cost: number): Promise<PreparedUser> {
  const profile = checkProfile(input);
  checkPasswordPolicy(input.password);
  const password_hash = await gate.run(() => hashPassword(input.password, cost));
  return { ...profile, password_hash };
}

/** Login, names and role of a new account, normalised; throws AuthError naming what is wrong. */
function checkProfile(input: Omit<NewUser, 'password'>): Omit<PreparedUser, 'password_hash'> {
  const login = input.login.toLowerCase();
  if (!LOGIN_PATTERN.test(login)) throw AuthError.invalidLoginName();
  if (!ROLES.includes(input.role)) throw AuthError.invalidRequest(`unknown role "${String(input.role)}"`);
  const displayName = input.displayName.trim();
  const company = input.company.trim();
  if (displayName.length === 0 || displayName.length > PROFILE_MAX_LENGTH) {
    throw AuthError.invalidProfile(`display name must be 1 to ${PROFILE_MAX_LENGTH} characters long`);
  }
  if (company.length > PROFILE_MAX_LENGTH) {
    throw AuthError.invalidProfile(`company name must be at most ${PROFILE_MAX_LENGTH} characters long`);
  }
  return { login, display_name: displayName, company, role: input.role };
}

async function countUsersIn(db: Kysely<Schema>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
