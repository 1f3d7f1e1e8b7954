import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Single sign-on (docs/sso.md): an account signed in through OpenID Connect is the pair (issuer,
 * subject), unique together; accounts with a password have both null. `oidc_logins` holds each
 * sign-in that went to the provider and has not come back yet, for one use only.
 */
export const oidc: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('users').addColumn('oidc_issuer', 'text').execute();
    await db.schema.alterTable('users').addColumn('oidc_subject', 'text').execute();
    await db.schema.createIndex('users_oidc_identity').on('users').columns(['oidc_issuer', 'oidc_subject']).unique().execute();

    await db.schema
      .createTable('oidc_logins')
      // SHA-256 hex of the `state` sent to the provider
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      // SHA-256 hex of the browser's binding cookie: the callback must come from the browser that started
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: AnyDb) {
    await db.schema.dropTable('oidc_logins').execute();
    await db.schema.dropIndex('users_oidc_identity').execute();
    await db.schema.alterTable('users').dropColumn('oidc_subject').execute();
    await db.schema.alterTable('users').dropColumn('oidc_issuer').execute();
  },
};
