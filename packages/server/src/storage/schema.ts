import type { Generated, Selectable } from 'kysely';

/**
 * Database schema shared by SQLite and PostgreSQL.
 *
 * Timestamps: every `*_at` column is epoch milliseconds (UTC) stored as BIGINT in both dialects.
 * Integers compare and index the same way everywhere, need no time-zone handling, and the pg
 * pool is configured to return BIGINT as a JS number (safe until the year 287396).
 *
 * Secrets are never stored raw: `web_sessions.id`, `web_sessions.csrf_token_hash` and
 * `setup_tokens.token_hash` are SHA-256 hex digests; `users.password_hash` is a PHC scrypt string.
 * `users.totp_secret` is the exception: TOTP needs the shared secret itself to compute codes.
 */

/** Epoch milliseconds (UTC). */
export type EpochMs = number;

export type Role = 'admin' | 'technician';
export const ROLES = ['admin', 'technician'] as const satisfies readonly Role[];

export interface UsersTable {
  id: string;
  login: string;
  display_name: string;
  company: string;
  role: Role;
  password_hash: string;
  created_at: EpochMs;
  disabled_at: EpochMs | null;
  /** Base32 TOTP secret: pending while totp_enabled_at is null. */
  totp_secret: string | null;
  totp_enabled_at: EpochMs | null;
  /** The last accepted TOTP time step (epoch seconds / 30); a code is accepted only for a later step. */
  totp_last_step: number | null;
  /** OpenID Connect identity (docs/sso.md): both set for accounts that sign in through the provider, else null. */
  oidc_issuer: string | null;
  oidc_subject: string | null;
  /** set at every sign-in (the web session's creation) */
  last_sign_in_at: EpochMs | null;
}

export interface WebSessionsTable {
  /** SHA-256 hex of the cookie token. */
  id: string;
  user_id: string;
  csrf_token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  last_seen_at: EpochMs;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
}

/** One-time links that let their holder set an account's password (an invite or a reset). */
export interface AccountLinksTable {
  /** SHA-256 hex of the token */
  token_hash: string;
  user_id: string;
  purpose: 'invite' | 'reset';
  /** the audit actor that made it (`admin:<id>` or `cli`) */
  created_by: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
}

export interface SupportSessionsTable {
  /** UUID. */
  id: string;
  /** The 9-digit ID the customer reads out. */
  customer_id: string;
  terms_version: string;
  /** JSON text. */
  capabilities: string;
  created_at: EpochMs;
  customer_addr: string;
  technician_user_id: string | null;
  connected_at: EpochMs | null;
  authenticated_at: EpochMs | null;
  ended_at: EpochMs | null;
  end_reason: string | null;
  failed_attempts: Generated<number>;
}

export interface SettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: EpochMs;
}

/** A sign-in sent to the OpenID provider and not back yet (one use, minutes). */
export interface OidcLoginsTable {
  state_hash: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

/** A support case (docs/cases.md); never its secret. */
export interface SupportCasesTable {
  /** 6 characters of Crockford base32, made in the technician's browser */
  id: string;
  customer_name: string;
  note: string;
  /** user IDs */
  created_by: string;
  assigned_to: string;
  state: 'waiting' | 'in-session' | 'done' | 'expired';
  /** PBKDF2 output of the secret (hex), compared when the customer joins */
  join_proof: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  arrived_at: EpochMs | null;
  /** the customer's 9-digit ID while it waits (null once it left) */
  customer_id: string | null;
  /** the customer's description, sealed under the case secret (hex) */
  description: string | null;
  taken_at: EpochMs | null;
  taken_by: string | null;
  closed_at: EpochMs | null;
  close_note: string | null;
}

/** An encrypted session recording (recordings/, docs/recording.md); size and sha256 once it is complete. */
export interface RecordingsTable {
  id: string;
  session_id: string;
  customer_id: string;
  technician_user_id: string;
  started_at: EpochMs;
  stopped_at: EpochMs | null;
  /** technician | customer | session-end */
  stopped_by: string | null;
  size: number | null;
  sha256: string | null;
}

export interface Schema {
  users: UsersTable;
  web_sessions: WebSessionsTable;
  setup_tokens: SetupTokensTable;
  account_links: AccountLinksTable;
  support_sessions: SupportSessionsTable;
  settings: SettingsTable;
  oidc_logins: OidcLoginsTable;
  support_cases: SupportCasesTable;
  recordings: RecordingsTable;
}

export type UserRow = Selectable<UsersTable>;
export type WebSessionRow = Selectable<WebSessionsTable>;
export type SupportSessionRow = Selectable<SupportSessionsTable>;
