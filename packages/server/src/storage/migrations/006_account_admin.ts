import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Account administration (issue 18): when each account last signed in, and one-time account links
 * (an invite or a password reset) whose holder sets the account's password. Only the link token's
 * SHA-256 is stored.
 */
export const accountAdmin: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('users').addColumn('last_sign_in_at', 'bigint').execute();
    await db.schema
      .createTable('account_links')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('account_links_user_id').on('account_links').column('user_id').execute();
  },

  async down(db: AnyDb) {
    await db.schema.dropTable('account_links').execute();
    await db.schema.alterTable('users').dropColumn('last_sign_in_at').execute();
  },
};
