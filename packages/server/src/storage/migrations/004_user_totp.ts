import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const COLUMNS = [
  ['totp_secret', 'text'], // base32; set by setup, enabled once a code matched it
  ['totp_enabled_at', 'bigint'],
  ['totp_last_step', 'bigint'], // last accepted 30 s time step, so no code works twice
] as const;

/** Two-factor sign-in. One ALTER per column: SQLite adds only one column per statement. */
export const userTotp: Migration = {
  async up(db: AnyDb) {
    for (const [name, type] of COLUMNS) {
      await db.schema.alterTable('users').addColumn(name, type).execute();
    }
  },

  async down(db: AnyDb) {
    for (const [name] of [...COLUMNS].reverse()) {
      await db.schema.alterTable('users').dropColumn(name).execute();
    }
  },
};
