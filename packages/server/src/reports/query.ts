import type { ReportRow } from '@fernhilfe/protocol';
import type { AuditEntry, AuditLog } from '../audit/log.js';
import type { AuditDb } from '../audit/schema.js';

export interface ReportFilter {
  /** epoch ms, inclusive: sessions opened at or after */
  from?: number;
  /** epoch ms, exclusive */
  to?: number;
  /** only this technician's sessions */
  technicianUserId?: string;
}

export const MAX_REPORT_ROWS = 10_000;

/** Sessions for the connection report, newest first, with what the audit log says about each. */
export async function reportRows(db: AuditDb, audit: AuditLog, filter: ReportFilter): Promise<ReportRow[]> {
  let query = db
    .selectFrom('support_sessions as s')
    .leftJoin('users as u', 'u.id', 's.technician_user_id')
    .select([
      's.id',
      's.customer_id',
      's.technician_user_id',
      'u.login',
      'u.display_name',
      's.created_at',
      's.connected_at',
      's.authenticated_at',
      's.ended_at',
      's.end_reason',
      's.terms_version',
      's.failed_attempts',
    ]);
  if (filter.from !== undefined) query = query.where('s.created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('s.created_at', '<', filter.to);
  if (filter.technicianUserId !== undefined) query = query.where('s.technician_user_id', '=', filter.technicianUserId);
  const rows = await query.orderBy('s.created_at', 'desc').orderBy('s.id').limit(MAX_REPORT_ROWS).execute();
  const bySession = groupBySession(await audit.forSessions(rows.map((r) => r.id)));
  return rows.map((r) => {
    const entries = bySession.get(r.id) ?? [];
    const events: Record<string, number> = {};
    for (const e of entries) events[e.event] = (events[e.event] ?? 0) + 1;
    const completed = corroboratedTransfers(entries);
    const ended = entries.findLast((e) => e.event === 'session-ended');
    return {
      sessionId: r.id,
      customerId: r.customer_id,
      technicianUserId: r.technician_user_id,
      technicianLogin: r.login ?? null,
      technicianName: r.display_name ?? null,
      openedAt: r.created_at,
      connectedAt: r.connected_at,
      authenticatedAt: r.authenticated_at,
      endedAt: r.ended_at,
      durationSeconds: r.authenticated_at !== null && r.ended_at !== null ? Math.max(0, Math.round((r.ended_at - r.authenticated_at) / 1000)) : 0,
      endReason: r.end_reason,
      termsVersion: r.terms_version,
      failedAttempts: r.failed_attempts,
      controlGranted: events['control-granted'] ?? 0,
      filesTransferred: completed.length,
      bytesTransferred: completed.reduce((sum, size) => sum + size, 0),
      relayedBytes: typeof ended?.data.relayedBytes === 'number' ? ended.data.relayedBytes : 0,
      events,
    };
  });
}

/**
 * The sizes of the transfers that count for the report: the receiver reported the completion and the
 * sender had reported the offer of the same transfer with the same size (the broker records each
 * only from the side that can know it, rendezvous/report-gate.ts). One endpoint alone cannot add a
 * transfer or inflate its size.
 */
function corroboratedTransfers(entries: AuditEntry[]): number[] {
  const offered = new Map<string, unknown>();
  for (const e of entries) if (e.event === 'file-offered' && typeof e.data.transferId === 'string') offered.set(e.data.transferId, e.data.size);
  const counted = new Set<string>();
  const sizes: number[] = [];
  for (const e of entries) {
    const { transferId, size } = e.data;
    if (e.event !== 'file-completed' || typeof transferId !== 'string' || typeof size !== 'number') continue;
    if (counted.has(transferId) || offered.get(transferId) !== size) continue;
    counted.add(transferId);
    sizes.push(size);
  }
  return sizes;
}

function groupBySession(entries: AuditEntry[]): Map<string, AuditEntry[]> {
  const map = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    if (e.sessionId === null) continue;
    const list = map.get(e.sessionId) ?? [];
    list.push(e);
    map.set(e.sessionId, list);
  }
  return map;
}
