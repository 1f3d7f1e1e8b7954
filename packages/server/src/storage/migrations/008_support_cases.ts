import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Support cases (issue 19, docs/cases.md): the queue's rows. Never the case secret: `join_proof` is a
 * slow-KDF output of it (the customer shows it to join) and `description` the customer's text sealed
 * under a key from the same KDF, which only the secret opens.
 */
export const supportCases: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('support_cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_name', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('assigned_to', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('join_proof', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('arrived_at', 'bigint')
      .addColumn('customer_id', 'text')
      .addColumn('description', 'text')
      .addColumn('taken_at', 'bigint')
      .addColumn('taken_by', 'text')
      .addColumn('closed_at', 'bigint')
      .addColumn('close_note', 'text')
      .execute();
    await db.schema.createIndex('support_cases_state').on('support_cases').columns(['state', 'expires_at']).execute();
  },

  async down(db: AnyDb) {
    await db.schema.dropTable('support_cases').execute();
  },
};
