import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, reportCsv } from './csv.js';
import type { ReportRow } from '@fernhilfe/protocol';

const row: ReportRow = {
  sessionId: 's-1',
  customerId: '123456789',
  technicianUserId: 'u1',
  technicianLogin: 'max',
  technicianName: 'Max, "der Techniker"',
  openedAt: Date.UTC(2026, 2, 1, 10),
  connectedAt: null,
  authenticatedAt: null,
  endedAt: null,
  durationSeconds: 0,
  endReason: null,
  termsVersion: 'v',
  failedAttempts: 2,
  controlGranted: 1,
  filesTransferred: 0,
  bytesTransferred: 0,
  relayedBytes: 0,
  events: {},
};

describe('reportCsv', () => {
  it('writes the header and quotes commas and quotes (RFC 4180, CRLF)', () => {
    const csv = reportCsv([row]);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe(CSV_COLUMNS.join(','));
    expect(line).toBe('s-1,123456789,max,"Max, ""der Techniker""",2026-03-01T10:00:00.000Z,,,0,,v,2,1,0,0,0');
    expect(end).toBe('');
  });

  it.each(['=1+1', '+49 30', '-2', '@SUM(A1)', '\tx'])('puts an apostrophe before a formula-looking cell %j', (name) => {
    const line = reportCsv([{ ...row, technicianName: name }]).split('\r\n')[1]!;
    expect(line).toContain(`'${name}`);
  });

  it('has only the header for no rows', () => {
    expect(reportCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
