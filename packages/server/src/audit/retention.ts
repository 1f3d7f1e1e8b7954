import type { Logger } from 'pino';
import type { Dialect } from '../storage/database.js';
import type { AuditDb } from './schema.js';

export const DAY_MS = 86_400_000;

export interface RetentionResult {
  cutoff: number;
  sessionsDeleted: number;
  entriesDeleted: number;
  /** the first entry kept, when entries were deleted */
  anchoredAt: number | undefined;
}

/**
 * Deletes support sessions opened before the cutoff (and their receipt tokens), and the audit
 * entries before the first entry written at or after it. The chain stays checkable: in the same
 * transaction an anchor row records the first kept entry, the hash of the entry before it (its
 * `prevHash`) and how many entries were deleted. The head row is locked first (PostgreSQL), so no
 * append runs in between.
 */
export async function runRetention(opts: { db: AuditDb; dialect: Dialect; days: number; now?: number }): Promise<RetentionResult> {
  const now = opts.now ?? Date.now();
  const cutoff = now - opts.days * DAY_MS;
  return opts.db.transaction().execute(async (trx) => {
    const select = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    const head = await (opts.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirstOrThrow();
    const firstKept = await trx.selectFrom('audit_log').select(['seq', 'prev_hash']).where('time', '>=', cutoff).orderBy('seq', 'asc').limit(1).executeTakeFirst();
    // with nothing recent, everything goes and the chain restarts after the head
    const anchorSeq = firstKept?.seq ?? head.seq + 1;
    const anchorPrev = firstKept?.prev_hash ?? head.hash;
    const { count } = await trx
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('seq', '<', anchorSeq)
      .executeTakeFirstOrThrow();
    const entriesDeleted = Number(count);
    if (entriesDeleted > 0) {
      await trx.insertInto('audit_anchors').values({ seq: anchorSeq, prev_hash: anchorPrev, deleted_count: entriesDeleted, created_at: now }).execute();
      await trx.deleteFrom('audit_log').where('seq', '<', anchorSeq).execute();
    }
    const old = trx.selectFrom('support_sessions').select('id').where('created_at', '<', cutoff);
    await trx.deleteFrom('receipt_tokens').where('session_id', 'in', old).execute();
    const deleted = await trx.deleteFrom('support_sessions').where('created_at', '<', cutoff).executeTakeFirst();
    return { cutoff, sessionsDeleted: Number(deleted.numDeletedRows), entriesDeleted, anchoredAt: entriesDeleted > 0 ? anchorSeq : undefined };
  });
}

/** Runs retention now and then every `everyMs`; stop() ends it. RETENTION_DAYS=0 keeps everything. */
export function scheduleRetention(opts: { db: AuditDb; dialect: Dialect; days: number; everyMs?: number; logger: Logger }): {
  /** stops the schedule and waits for a run in progress */
  stop(): Promise<void>;
  runNow(): Promise<RetentionResult | undefined>;
} {
  let running: Promise<unknown> = Promise.resolve();
  const runNow = () => {
    const run = running.then(runOnce);
    running = run;
    return run;
  };
  const runOnce = async () => {
    if (opts.days <= 0) return undefined;
    try {
      const r = await runRetention({ db: opts.db, dialect: opts.dialect, days: opts.days });
      if (r.sessionsDeleted > 0 || r.entriesDeleted > 0) opts.logger.info({ ...r, days: opts.days }, 'retention: old sessions and audit entries deleted');
      return r;
    } catch (err) {
      opts.logger.error({ err }, 'retention run failed');
      return undefined;
    }
  };
  const timer = setInterval(() => void runNow(), opts.everyMs ?? 3_600_000);
  timer.unref();
  void runNow();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
    runNow,
  };
}
