import { stringify } from 'csv-stringify/sync';
import type { ReportRow } from '@fernhilfe/protocol';

/** The CSV columns, in order (documented in docs/audit.md, "Connection report CSV"). */
export const CSV_COLUMNS = [
  'session_id',
  'customer_id',
  'technician_login',
  'technician_name',
  'opened_at',
  'connected_at',
  'ended_at',
  'duration_seconds',
  'end_reason',
  'terms_version',
  'failed_attempts',
  'control_granted',
  'files_transferred',
  'bytes_transferred',
  'relayed_bytes',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

const cells = {
  session_id: (r) => r.sessionId,
  customer_id: (r) => r.customerId,
  technician_login: (r) => r.technicianLogin ?? '',
  technician_name: (r) => r.technicianName ?? '',
  opened_at: (r) => iso(r.openedAt),
  connected_at: (r) => iso(r.connectedAt),
  ended_at: (r) => iso(r.endedAt),
  duration_seconds: (r) => String(r.durationSeconds),
  end_reason: (r) => r.endReason ?? '',
  terms_version: (r) => r.termsVersion,
  failed_attempts: (r) => String(r.failedAttempts),
  control_granted: (r) => String(r.controlGranted),
  files_transferred: (r) => String(r.filesTransferred),
  bytes_transferred: (r) => String(r.bytesTransferred),
  relayed_bytes: (r) => String(r.relayedBytes),
} satisfies Record<Column, (r: ReportRow) => string>;

/**
 * RFC 4180 CSV (comma, CRLF, quotes where needed) with a header row. A cell that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe.
 */
export function reportCsv(rows: readonly ReportRow[]): string {
  const body = rows.map((r) => CSV_COLUMNS.map((c) => neutralise(cells[c](r))));
  return stringify([[...CSV_COLUMNS], ...body], { record_delimiter: '\r\n' });
}

function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
