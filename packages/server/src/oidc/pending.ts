import type { Kysely } from 'kysely';
import { digestsEqual, randomToken, sha256Hex } from '../auth/tokens.js';
import type { Schema } from '../storage/schema.js';

/** How long a person has at the provider before the sign-in must start again. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;

export interface PendingSignIn {
  /** sent to the provider and back in the callback URL */
  state: string;
  nonce: string;
  codeVerifier: string;
  /** goes into the HttpOnly binding cookie of the browser that started */
  browserToken: string;
}

/**
 * Sign-ins that went to the provider and have not come back, in the database (every node of a
 * cluster sees them). Each can be taken once: a replayed callback finds nothing.
 */
export class PendingSignIns {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(fresh: { nonce: string; codeVerifier: string }): Promise<PendingSignIn> {
    const state = randomToken();
    const browserToken = randomToken();
    const now = this.now();
    await this.db
      .insertInto('oidc_logins')
      .values({
        state_hash: sha256Hex(state),
        browser_hash: sha256Hex(browserToken),
        nonce: fresh.nonce,
        code_verifier: fresh.codeVerifier,
        created_at: now,
        expires_at: now + PENDING_SIGN_IN_MS,
      })
      .execute();
    return { state, browserToken, ...fresh };
  }

  /**
   * The pending sign-in for `state`, removed so that it works once; undefined when it is unknown,
   * used, expired, or was started by another browser (`browserToken` from its cookie).
   */
  async take(state: string, browserToken: string | undefined): Promise<PendingSignIn | undefined> {
    const stateHash = sha256Hex(state);
    const row = await this.db.selectFrom('oidc_logins').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
    if (!row) return undefined;
    // whoever deletes the row owns it; a second callback racing this one gets nothing
    const deleted = await this.db.deleteFrom('oidc_logins').where('state_hash', '=', stateHash).executeTakeFirst();
    if (deleted.numDeletedRows !== 1n) return undefined;
    if (row.expires_at <= this.now()) return undefined;
    if (browserToken === undefined || !digestsEqual(sha256Hex(browserToken), row.browser_hash)) return undefined;
    return { state, nonce: row.nonce, codeVerifier: row.code_verifier, browserToken };
  }

  async deleteExpired(): Promise<number> {
    const result = await this.db.deleteFrom('oidc_logins').where('expires_at', '<=', this.now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
