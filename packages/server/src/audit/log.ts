import type { Logger } from 'pino';
import type { Dialect } from '../storage/database.js';
import { canonicalJson } from './canonical.js';
import { entryHash, type AuditData, type ChainedEntry } from './chain.js';
import type { Actor, AuditEvent } from './events.js';
import type { AuditDb, AuditLogTable } from './schema.js';

export interface NewAuditEntry {
  sessionId: string | null;
  event: AuditEvent;
  actor: Actor;
  data: AuditData;
}

export interface AuditEntry extends ChainedEntry {
  hash: string;
}

export interface AuditQuery {
  sessionId?: string;
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, exclusive */
  to?: number;
  /** entries with a smaller seq (paging backwards from the newest) */
  beforeSeq?: number;
  limit?: number;
}

/**
 * The append-only audit log. Appends are serialised: one queue per process, and in the database one
 * transaction that reads and advances the single `audit_head` row (PostgreSQL locks it with
 * SELECT … FOR UPDATE, so several nodes append one after another; SQLite has one writer anyway).
 * A failed append is logged and thrown to the caller; the chain never gets a gap from it.
 */
export class AuditLog {
  readonly #db: AuditDb;
  readonly #dialect: Dialect;
  readonly #now: () => number;
  readonly #log: Logger;
  #queue: Promise<unknown> = Promise.resolve();

  readonly #written: ((ok: boolean) => void) | undefined;

  constructor(opts: { db: AuditDb; dialect: Dialect; logger: Logger; now?: () => number; written?: (ok: boolean) => void }) {
    this.#written = opts.written;
    this.#db = opts.db;
    this.#dialect = opts.dialect;
    this.#log = opts.logger;
    this.#now = opts.now ?? Date.now;
  }

  append(entry: NewAuditEntry): Promise<AuditEntry> {
    const run = this.#queue.then(() => this.#append(entry));
    this.#queue = run.catch(() => undefined);
    return run.then((done) => (this.#written?.(true), done), (err: unknown) => {
      this.#written?.(false);
      this.#log.error({ err, event: entry.event, sessionId: entry.sessionId }, 'writing an audit entry failed');
      throw err;
    });
  }

  async #append(input: NewAuditEntry): Promise<AuditEntry> {
    // the data is stored as canonical JSON text; encode it first so a bad value fails before the transaction
    const dataText = canonicalJson(input.data);
    return this.#db.transaction().execute(async (trx) => {
      const select = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
      const head = await (this.#dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirstOrThrow();
      const entry: ChainedEntry = { seq: head.seq + 1, prevHash: head.hash, time: this.#now(), ...input };
      const hash = entryHash(entry);
      await trx
        .insertInto('audit_log')
        .values({ seq: entry.seq, prev_hash: entry.prevHash, hash, time: entry.time, session_id: entry.sessionId, event: entry.event, actor: entry.actor, data: dataText })
        .execute();
      await trx.updateTable('audit_head').set({ seq: entry.seq, hash }).where('id', '=', 1).execute();
      return { ...entry, hash };
    });
  }

  /** Newest first. */
  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    let query = this.#db.selectFrom('audit_log').selectAll();
    if (q.sessionId !== undefined) query = query.where('session_id', '=', q.sessionId);
    if (q.from !== undefined) query = query.where('time', '>=', q.from);
    if (q.to !== undefined) query = query.where('time', '<', q.to);
    if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
    const rows = await query.orderBy('seq', 'desc').limit(q.limit ?? 200).execute();
    return rows.map(toEntry);
  }

  /** Every entry of one session, oldest first. */
  async forSession(sessionId: string): Promise<AuditEntry[]> {
    const rows = await this.#db.selectFrom('audit_log').selectAll().where('session_id', '=', sessionId).orderBy('seq', 'asc').execute();
    return rows.map(toEntry);
  }

  /** Entries of these sessions, oldest first (for reports). */
  async forSessions(sessionIds: readonly string[]): Promise<AuditEntry[]> {
    if (sessionIds.length === 0) return [];
    const out: AuditEntry[] = [];
    for (let i = 0; i < sessionIds.length; i += 500) {
      const rows = await this.#db
        .selectFrom('audit_log')
        .selectAll()
        .where('session_id', 'in', sessionIds.slice(i, i + 500))
        .orderBy('seq', 'asc')
        .execute();
      out.push(...rows.map(toEntry));
    }
    return out.sort((a, b) => a.seq - b.seq);
  }
}

export function toEntry(row: AuditLogTable): AuditEntry {
  return {
    seq: row.seq,
    prevHash: row.prev_hash,
    hash: row.hash,
    time: row.time,
    sessionId: row.session_id,
    event: row.event,
    actor: row.actor,
    data: JSON.parse(row.data) as AuditData,
  };
}
