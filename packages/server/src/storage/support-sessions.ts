import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { StorageError } from './errors.js';
import type { EpochMs, Schema, SupportSessionRow } from './schema.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface NewSupportSession {
  /** Defaults to a random UUID. */
  id?: string;
  customerId: string;
  termsVersion: string;
  capabilities: JsonValue;
  customerAddr: string;
}

export interface SupportSession {
  id: string;
  customerId: string;
  termsVersion: string;
  capabilities: JsonValue;
  createdAt: EpochMs;
  customerAddr: string;
  technicianUserId: string | null;
  connectedAt: EpochMs | null;
  authenticatedAt: EpochMs | null;
  endedAt: EpochMs | null;
  endReason: string | null;
  failedAttempts: number;
}

const CUSTOMER_ID = /^\d{9}$/;

/**
 * Records the lifecycle of customer support sessions. The `mark*` methods only change a session
 * that has not ended and return false otherwise, so two sides ending at once is not an error.
 */
export class SupportSessionRepo {
  readonly #db: Kysely<Schema>;
  readonly #now: () => number;

  constructor(opts: { db: Kysely<Schema>; now?: () => number }) {
    this.#db = opts.db;
    this.#now = opts.now ?? Date.now;
  }

  async create(input: NewSupportSession): Promise<SupportSession> {
    if (!CUSTOMER_ID.test(input.customerId)) {
      throw new StorageError('invalid', 'Support session customer ID must be exactly 9 digits');
    }
    const id = input.id ?? randomUUID();
    await this.#db
      .insertInto('support_sessions')
      .values({
        id,
        customer_id: input.customerId,
        terms_version: input.termsVersion,
        capabilities: JSON.stringify(input.capabilities),
        created_at: this.#now(),
        customer_addr: input.customerAddr,
      })
      .execute();
    const created = await this.get(id);
    if (!created) throw new StorageError('vanished', `Support session ${id} vanished right after it was created`);
    return created;
  }

  async get(id: string): Promise<SupportSession | undefined> {
    const row = await this.#db.selectFrom('support_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSupportSession(row);
  }

  /** A technician started pairing; may happen again after a failed password attempt. */
  markConnected(id: string, technicianUserId: string): Promise<boolean> {
    return this.#updateLive(id, { technician_user_id: technicianUserId, connected_at: this.#now() });
  }

  markAuthenticated(id: string): Promise<boolean> {
    return this.#updateLive(id, { authenticated_at: this.#now() });
  }

  markEnded(id: string, reason: string): Promise<boolean> {
    return this.#updateLive(id, { ended_at: this.#now(), end_reason: reason });
  }

  /** Returns the new count, or undefined if the session does not exist or has ended. */
  async incrementFailed(id: string): Promise<number | undefined> {
    const row = await this.#db
      .updateTable('support_sessions')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .returning('failed_attempts')
      .executeTakeFirst();
    return row?.failed_attempts;
  }

  async #updateLive(
    id: string,
    values: Partial<Pick<SupportSessionRow, 'technician_user_id' | 'connected_at' | 'authenticated_at' | 'ended_at' | 'end_reason'>>,
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('support_sessions')
      .set(values)
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toSupportSession(row: SupportSessionRow): SupportSession {
  return {
    id: row.id,
    customerId: row.customer_id,
    termsVersion: row.terms_version,
    // Written by create() from a JsonValue, so it parses back to one.
    capabilities: JSON.parse(row.capabilities) as JsonValue,
    createdAt: row.created_at,
    customerAddr: row.customer_addr,
    technicianUserId: row.technician_user_id,
    connectedAt: row.connected_at,
    authenticatedAt: row.authenticated_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    failedAttempts: row.failed_attempts,
  };
}
