import type { Kysely, Selectable } from 'kysely';
import type { Schema, SupportCasesTable } from '../storage/schema.js';

export type CaseRow = Selectable<SupportCasesTable>;

export interface NewCase {
  id: string;
  customerName: string;
  note: string;
  createdBy: string;
  joinProof: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * The support_cases table (SQLite and PostgreSQL alike). Every change of state is one conditional
 * UPDATE, so two technicians (or two nodes) cannot both take a case, and a case is joined once.
 */
export class CaseStore {
  constructor(private readonly db: Kysely<Schema>) {}

  /** False when the ID is taken (the console makes a new one). */
  async create(c: NewCase): Promise<boolean> {
    const exists = await this.get(c.id);
    if (exists) return false;
    await this.db
      .insertInto('support_cases')
      .values({ id: c.id, customer_name: c.customerName, note: c.note, created_by: c.createdBy, assigned_to: c.createdBy, state: 'waiting', join_proof: c.joinProof, created_at: c.createdAt, expires_at: c.expiresAt })
      .execute();
    return true;
  }

  get(id: string): Promise<CaseRow | undefined> {
    return this.db.selectFrom('support_cases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The waiting and running cases, and the last `closedLimit` others, newest first. */
  async list(closedLimit = 50): Promise<CaseRow[]> {
    const open = await this.db.selectFrom('support_cases').selectAll().where('state', 'in', ['waiting', 'in-session']).orderBy('created_at', 'desc').execute();
    const closed = await this.db.selectFrom('support_cases').selectAll().where('state', 'in', ['done', 'expired']).orderBy('created_at', 'desc').limit(closedLimit).execute();
    return [...open, ...closed];
  }

  /** The customer arrives: only a waiting, unexpired case without a customer. */
  async arrive(id: string, customerId: string, description: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('support_cases')
      .set({ customer_id: customerId, arrived_at: now, description })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .where('customer_id', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The customer left: a waiting case waits for it again; a case in session is done. */
  async left(id: string, customerId: string, now: number): Promise<void> {
    await this.db.updateTable('support_cases').set({ customer_id: null }).where('id', '=', id).where('state', '=', 'waiting').where('customer_id', '=', customerId).execute();
    await this.db.updateTable('support_cases').set({ state: 'done', closed_at: now, customer_id: null }).where('id', '=', id).where('state', '=', 'in-session').where('customer_id', '=', customerId).execute();
  }

  /** A technician takes the case: its customer ID, or undefined when it is not waiting with a customer. */
  async take(id: string, userId: string, now: number): Promise<string | undefined> {
    const row = await this.get(id);
    if (!row?.customer_id || row.state !== 'waiting' || row.expires_at <= now) return undefined;
    const r = await this.db
      .updateTable('support_cases')
      .set({ state: 'in-session', taken_at: now, taken_by: userId })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .where('customer_id', '=', row.customer_id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? row.customer_id : undefined;
  }

  async assign(id: string, userId: string): Promise<boolean> {
    const r = await this.db.updateTable('support_cases').set({ assigned_to: userId }).where('id', '=', id).where('state', 'in', ['waiting', 'in-session']).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Closes a case with a note (a done case keeps its end time and gets the note). */
  async close(id: string, note: string, now: number): Promise<boolean> {
    const row = await this.get(id);
    if (!row || row.state === 'expired') return false;
    await this.db.updateTable('support_cases').set({ state: 'done', closed_at: row.closed_at ?? now, close_note: note }).where('id', '=', id).execute();
    return true;
  }

  /** Waiting cases past their time become expired; returns their IDs. */
  async expireDue(now: number): Promise<string[]> {
    const due = await this.db.selectFrom('support_cases').select('id').where('state', '=', 'waiting').where('expires_at', '<=', now).execute();
    const ids: string[] = [];
    for (const { id } of due) {
      const r = await this.db.updateTable('support_cases').set({ state: 'expired', closed_at: now }).where('id', '=', id).where('state', '=', 'waiting').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) ids.push(id);
    }
    return ids;
  }
}
