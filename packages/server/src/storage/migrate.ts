import { Migrator, type Kysely } from 'kysely';
import { StorageError } from './errors.js';
import { migrations } from './migrations/index.js';
import type { Schema } from './schema.js';

/** Applies every pending migration; safe to call on every start. Throws if one fails. */
export async function migrateToLatest(db: Kysely<Schema>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error !== undefined) {
    const which = failed ? ` (migration ${failed.migrationName})` : '';
    throw new StorageError('migration', `Database migration failed${which}: ${describe(error)}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
