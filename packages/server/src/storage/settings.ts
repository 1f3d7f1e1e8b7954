import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';
import type { JsonValue } from './support-sessions.js';

/**
 * Operator settings as JSON values under a key (e.g. `branding`). Values come back as `unknown`:
 * the feature that owns a key parses them with its own schema.
 */
export class SettingsRepo {
  readonly #db: Kysely<Schema>;
  readonly #now: () => number;

  constructor(opts: { db: Kysely<Schema>; now?: () => number }) {
    this.#db = opts.db;
    this.#now = opts.now ?? Date.now;
  }

  /** The stored value, or undefined when the key was never set. */
  async get(key: string): Promise<unknown> {
    const row = await this.#db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  async set(key: string, value: JsonValue): Promise<void> {
    const row = { key, value: JSON.stringify(value), updated_at: this.#now() };
    await this.#db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }
}
