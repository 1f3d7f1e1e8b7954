import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Schema, UsersTable } from '../storage/schema.js';
import { SecretBox } from '../keys/secret-box.js';
import { AuthError } from './errors.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';

export interface TotpSetup {
  /** Base32, for typing into an app by hand. */
  secret: string;
  /** For the QR code. */
  otpauthUri: string;
}

/**
 * TOTP two-factor sign-in per user: set up (a pending secret), enable with a first code, check codes
 * at sign-in, disable with a code. Every accepted code moves the user's last used time step forward
 * in the database, in the same UPDATE that checks it, so no code works twice, even across nodes.
 * Secrets and codes are never logged. Secrets are stored encrypted (AES-256-GCM with the TOTP key
 * from the server key file, the user id as associated data; keys/secret-box.ts); a secret stored
 * in clear by an older version is encrypted by `encryptStoredSecrets` at start.
 */
export class TwoFactor {
  readonly #db: Kysely<Schema>;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #box: SecretBox;

  /** `box`: the TOTP key of the server key file; without one, a key for this process only (tests). */
  constructor(opts: { db: Kysely<Schema>; logger: Logger; now: () => number; box?: SecretBox | undefined }) {
    this.#db = opts.db;
    this.#log = opts.logger;
    this.#now = opts.now;
    this.#box = opts.box ?? SecretBox.ephemeral();
  }

  /** Encrypts every TOTP secret still stored in clear (from before secrets were encrypted); returns how many. */
  async encryptStoredSecrets(): Promise<number> {
    const rows = await this.#db.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
    let count = 0;
    for (const row of rows) {
      if (row.totp_secret === null || SecretBox.isSealed(row.totp_secret)) continue;
      const sealed = this.#box.seal(row.totp_secret, row.id);
      const result = await this.#db.updateTable('users').set({ totp_secret: sealed }).where('id', '=', row.id).where('totp_secret', '=', row.totp_secret).executeTakeFirst();
      count += Number(result.numUpdatedRows);
    }
    if (count > 0) this.#log.info({ count }, 'two-factor secrets stored in clear were encrypted');
    return count;
  }

  /** Stores a new pending secret, replacing a pending one; refuses while two-factor is enabled. */
  async setup(user: { id: string; login: string }, issuer: string): Promise<TotpSetup> {
    const secret = newTotpSecret();
    const result = await this.#db
      .updateTable('users')
      .set({ totp_secret: this.#box.seal(secret, user.id), totp_last_step: null })
      .where('id', '=', user.id)
      .where('totp_enabled_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw AuthError.totpAlreadyEnabled();
    this.#log.info({ userId: user.id }, 'two-factor set-up started');
    return { secret, otpauthUri: totpUri(secret, issuer, user.login) };
  }

  /** Switches two-factor on when `code` matches the pending secret; throws AuthError otherwise. */
  async enable(userId: string, code: string): Promise<void> {
    const row = await this.#row(userId);
    if (row.totp_enabled_at !== null) throw AuthError.totpAlreadyEnabled();
    if (row.totp_secret === null) throw AuthError.totpNotSetUp();
    if (!(await this.#accept(userId, row.totp_secret, code, 'pending', { totp_enabled_at: this.#now() }))) {
      throw AuthError.totpInvalid('change');
    }
    this.#log.info({ userId }, 'two-factor sign-in enabled');
  }

  /** Switches two-factor off and forgets the secret when `code` is right; throws AuthError otherwise. */
  async disable(userId: string, code: string): Promise<void> {
    const row = await this.#row(userId);
    if (row.totp_enabled_at === null || row.totp_secret === null) throw AuthError.totpNotEnabled();
    const off = { totp_secret: null, totp_enabled_at: null, totp_last_step: null };
    if (!(await this.#accept(userId, row.totp_secret, code, 'enabled', off))) throw AuthError.totpInvalid('change');
    this.#log.info({ userId }, 'two-factor sign-in disabled');
  }

  /** For sign-in: true when two-factor is enabled and `code` is right and not used before. */
  async verify(userId: string, code: string): Promise<boolean> {
    const row = await this.#row(userId);
    if (row.totp_enabled_at === null || row.totp_secret === null) return false;
    return this.#accept(userId, row.totp_secret, code, 'enabled', {});
  }

  async #row(userId: string) {
    const row = await this.#db
      .selectFrom('users')
      .select(['totp_secret', 'totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!row) throw AuthError.notAuthenticated(); // the account was deleted under a live session
    return row;
  }

  /** Checks the code and, if its step is newer than the last accepted one, records it with `also`. */
  async #accept(
    userId: string,
    /** the secret as stored (encrypted): the UPDATE checks it did not change meanwhile */
    stored: string,
    code: string,
    state: 'pending' | 'enabled',
    also: Partial<Pick<UsersTable, 'totp_secret' | 'totp_enabled_at' | 'totp_last_step'>>,
  ): Promise<boolean> {
    let secret: string;
    try {
      secret = this.#box.open(stored, userId);
    } catch {
      this.#log.error({ userId }, 'two-factor code refused: the stored secret cannot be decrypted with this server key (another SERVER_KEY_FILE?)');
      return false;
    }
    const step = totpStep(secret, code, this.#now());
    if (step === undefined) {
      this.#log.info({ userId }, 'two-factor code refused: wrong');
      return false;
    }
    const result = await this.#db
      .updateTable('users')
      .set({ totp_last_step: step, ...also })
      .where('id', '=', userId)
      .where('totp_secret', '=', stored)
      .where('totp_enabled_at', state === 'pending' ? 'is' : 'is not', null)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      this.#log.info({ userId }, 'two-factor code refused: already used');
      return false;
    }
    return true;
  }
}
