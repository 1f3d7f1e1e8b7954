import type { Kysely, Migration } from 'kysely';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The tamper-evident audit log (docs/audit.md), the kept versions of the terms, and the customers'
 * receipt tokens (SHA-256 of the token only).
 */
export const audit: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('session_id', 'text')
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      // canonical JSON (audit/canonical.ts), so the hash can be recomputed from the row alone
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_session_id').on('audit_log').column('session_id').execute();
    await db.schema.createIndex('audit_log_time').on('audit_log').column('time').execute();
    // one row (id = 1): the newest entry; appends lock it (PostgreSQL: SELECT … FOR UPDATE)
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute();
    // written by the retention job: the chain starts again at `seq`, whose predecessor had `prev_hash`
    await db.schema
      .createTable('audit_anchors')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('deleted_count', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('terms_versions')
      .addColumn('version', 'text', (c) => c.primaryKey())
      .addColumn('de', 'text', (c) => c.notNull())
      .addColumn('en', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema
      .createTable('receipt_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('receipt_tokens_session_id').on('receipt_tokens').column('session_id').execute();
  },
  async down(db: AnyDb) {
    for (const table of ['receipt_tokens', 'terms_versions', 'audit_anchors', 'audit_head', 'audit_log']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
