import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Encrypted session recordings (docs/recording.md): metadata here, the ciphertext under DATA_DIR/recordings. */
export const recordings: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('recordings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('technician_user_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('stopped_at', 'bigint')
      .addColumn('stopped_by', 'text')
      .addColumn('size', 'bigint')
      .addColumn('sha256', 'text')
      .execute();
    await db.schema.createIndex('recordings_started_at').on('recordings').column('started_at').execute();
  },

  async down(db: AnyDb) {
    await db.schema.dropTable('recordings').execute();
  },
};
