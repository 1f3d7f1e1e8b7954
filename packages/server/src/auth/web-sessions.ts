import type { Kysely } from 'kysely';
import type { EpochMs, Schema } from '../storage/schema.js';
import { deriveCsrfToken, randomToken, sha256Hex } from './tokens.js';
import { toUser, type User } from './user.js';

export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
export const SESSION_IDLE_MS = 30 * 60_000;
// last_seen_at is written at most this often, so busy consoles do not turn every request into a write.
const TOUCH_INTERVAL_MS = 60_000;
const MAX_TOKEN_LENGTH = 200;

export interface NewWebSession {
  /** Goes into the HttpOnly cookie; only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  expiresAt: EpochMs;
}

export interface WebSession {
  user: User;
  /** SHA-256 hex of the token; safe to log. */
  sessionId: string;
  csrfTokenHash: string;
  createdAt: EpochMs;
  expiresAt: EpochMs;
  lastSeenAt: EpochMs;
}

/** Console sign-in sessions: 12 h absolute lifetime, 30 min idle timeout. */
export class WebSessions {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly now: () => number,
  ) {}

  async create(userId: string): Promise<NewWebSession> {
    const token = randomToken();
    const csrfToken = deriveCsrfToken(token);
    const now = this.now();
    const expiresAt = now + SESSION_ABSOLUTE_MS;
    await this.db
      .insertInto('web_sessions')
      .values({
        id: sha256Hex(token),
        user_id: userId,
        csrf_token_hash: sha256Hex(csrfToken),
        created_at: now,
        expires_at: expiresAt,
        last_seen_at: now,
      })
      .execute();
    // every sign-in (password, setup, account link, single sign-on) comes through here
    await this.db.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', userId).execute();
    return { token, csrfToken, expiresAt };
  }

  /** The live session for a cookie token, refreshing its idle timer; expired ones are deleted. */
  async get(token: string): Promise<WebSession | undefined> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const id = sha256Hex(token);
    const row = await this.db
      .selectFrom('web_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.csrf_token_hash',
        's.created_at as session_created_at',
        's.expires_at',
        's.last_seen_at',
        'u.id',
        'u.login',
        'u.display_name',
        'u.company',
        'u.role',
        'u.created_at',
        'u.disabled_at',
        'u.totp_enabled_at',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;

    const now = this.now();
    if (now >= row.expires_at || now >= row.last_seen_at + SESSION_IDLE_MS) {
      await this.db.deleteFrom('web_sessions').where('id', '=', id).execute();
      return undefined;
    }
    if (row.disabled_at !== null) return undefined;

    let lastSeenAt = row.last_seen_at;
    if (now - lastSeenAt >= TOUCH_INTERVAL_MS) {
      await this.db.updateTable('web_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
      lastSeenAt = now;
    }
    return {
      user: toUser(row),
      sessionId: id,
      csrfTokenHash: row.csrf_token_hash,
      createdAt: row.session_created_at,
      expiresAt: row.expires_at,
      lastSeenAt,
    };
  }

  async delete(token: string): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('id', '=', sha256Hex(token)).execute();
  }

  /** Signs an account out everywhere: all its web sessions end at once (the table is shared by all nodes). */
  async deleteAllOf(userId: string, exceptSessionId?: string): Promise<number> {
    let query = this.db.deleteFrom('web_sessions').where('user_id', '=', userId);
    if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(): Promise<number> {
    const now = this.now();
    const result = await this.db
      .deleteFrom('web_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - SESSION_IDLE_MS)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
