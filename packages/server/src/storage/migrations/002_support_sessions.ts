import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const supportSessions: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('support_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('terms_version', 'text', (c) => c.notNull())
      .addColumn('capabilities', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('customer_addr', 'text', (c) => c.notNull())
      .addColumn('technician_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('connected_at', 'bigint')
      .addColumn('authenticated_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('end_reason', 'text')
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('support_sessions_customer_id')
      .on('support_sessions')
      .column('customer_id')
      .execute();
  },

  async down(db: AnyDb) {
    await db.schema.dropTable('support_sessions').execute();
  },
};
