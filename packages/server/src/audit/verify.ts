import { canonicalJson } from './canonical.js';
import { entryHash, GENESIS_HASH, type AuditData } from './chain.js';
import type { AuditDb, AuditLogTable } from './schema.js';

/**
 * What can be wrong with the chain, named for the first entry where it shows:
 * - `changed`: the entry's stored hash does not match its contents (or its data is not canonical);
 * - `deleted`: the entry with this number is missing;
 * - `reordered`: the entry here belongs elsewhere in the chain (its predecessor is another entry);
 * - `inserted`: an entry that does not follow its predecessor, or one beyond the recorded head;
 * - `truncated`: entries at the end are missing (the head names a later entry than the last one);
 * - `anchor`: the retention anchor does not fit the entries kept.
 */
export type BreakKind = 'changed' | 'deleted' | 'reordered' | 'inserted' | 'truncated' | 'anchor';

export type VerifyResult =
  | { ok: true; entries: number; firstSeq: number | undefined; headSeq: number; headHash: string; anchoredAt: number | undefined }
  | { ok: false; seq: number; kind: BreakKind; message: string; checked: number };

const PAGE = 1000;

/** Checks the whole chain in the database from its start (or the newest retention anchor) to its head. */
export async function verifyChain(db: AuditDb): Promise<VerifyResult> {
  const anchors = await db.selectFrom('audit_anchors').selectAll().orderBy('seq', 'asc').execute();
  const anchor = anchors.at(-1);
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  let expectedSeq = anchor ? anchor.seq : 1;
  let expectedPrev = anchor ? anchor.prev_hash : GENESIS_HASH;
  let checked = 0;
  const fail = (seq: number, kind: BreakKind, message: string): VerifyResult => ({ ok: false, seq, kind, message, checked });

  if (anchor) {
    const deleted = anchors.reduce((sum, a) => sum + a.deleted_count, 0);
    if (deleted !== anchor.seq - 1) {
      return fail(anchor.seq, 'anchor', `the retention anchors account for ${deleted} deleted entries, but the chain starts at entry ${anchor.seq}`);
    }
  }

  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq', 'asc').limit(PAGE).execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return fail(expectedSeq, 'deleted', `entry ${expectedSeq} is missing: deleted (the next one stored is ${row.seq})`);
      }
      const problem = await checkRow(db, row, expectedPrev);
      if (problem) return fail(row.seq, problem.kind, problem.message);
      expectedPrev = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }

  const lastSeq = expectedSeq - 1;
  // rows before the start (below the anchor) would be entries that retention should have deleted
  const early = await db.selectFrom('audit_log').select('seq').where('seq', '<', anchor ? anchor.seq : 1).orderBy('seq', 'asc').executeTakeFirst();
  if (early) return fail(early.seq, 'inserted', `entry ${early.seq} lies before the start of the chain (entry ${anchor?.seq ?? 1}): inserted`);
  if (!head) return fail(lastSeq + 1, 'truncated', 'the chain head record is missing');
  if (head.seq > lastSeq) {
    return fail(lastSeq + 1, head.seq === lastSeq + 1 ? 'deleted' : 'truncated', `entries ${lastSeq + 1} to ${head.seq} are missing: deleted from the end of the chain`);
  }
  if (head.seq < lastSeq) return fail(head.seq + 1, 'inserted', `entry ${head.seq + 1} lies beyond the recorded head of the chain (entry ${head.seq}): inserted`);
  if (head.hash !== expectedPrev) return fail(lastSeq, 'changed', `entry ${lastSeq} does not match the recorded head of the chain: changed`);
  return { ok: true, entries: checked, firstSeq: checked > 0 ? (anchor?.seq ?? 1) : undefined, headSeq: head.seq, headHash: head.hash, anchoredAt: anchor?.seq };
}

async function checkRow(db: AuditDb, row: AuditLogTable, expectedPrev: string): Promise<{ kind: BreakKind; message: string } | undefined> {
  let data: AuditData;
  try {
    data = JSON.parse(row.data) as AuditData;
  } catch {
    return { kind: 'changed', message: `entry ${row.seq}: its data is not JSON any more: changed` };
  }
  let canonical: string;
  let hash: string;
  try {
    canonical = canonicalJson(data);
    hash = entryHash({ seq: row.seq, prevHash: row.prev_hash, time: row.time, sessionId: row.session_id, event: row.event, actor: row.actor, data });
  } catch {
    return { kind: 'changed', message: `entry ${row.seq}: its data cannot be encoded: changed` };
  }
  const selfConsistent = hash === row.hash && canonical === row.data;
  if (row.prev_hash === expectedPrev) {
    return selfConsistent ? undefined : { kind: 'changed', message: `entry ${row.seq}: its contents do not match its hash: changed` };
  }
  // it does not follow its predecessor: find out whether the right entry is stored elsewhere
  const rightful = await db.selectFrom('audit_log').select('seq').where('prev_hash', '=', expectedPrev).where('seq', '!=', row.seq).executeTakeFirst();
  if (rightful) {
    return { kind: 'reordered', message: `entry ${row.seq} is out of order: the entry that follows entry ${row.seq - 1} is stored as entry ${rightful.seq}` };
  }
  if (!selfConsistent) return { kind: 'changed', message: `entry ${row.seq}: its contents do not match its hash, nor does it follow entry ${row.seq - 1}: changed` };
  return { kind: 'inserted', message: `entry ${row.seq} does not follow entry ${row.seq - 1}: the entry before it was changed and re-hashed, or this one was inserted` };
}
