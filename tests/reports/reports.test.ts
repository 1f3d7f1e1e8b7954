import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../server/http-session.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { ADMIN, seedReports, type Fixture } from './fixture.js';
import { parseCsv } from './parse-csv.js';

/** The columns docs/audit.md documents, in order. */
const DOCUMENTED = [
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
];

describe('connection reports', () => {
  let srv: TestServer;
  let f: Fixture;
  let admin: HttpSession;
  let max: HttpSession;

  beforeAll(async () => {
    srv = await startTestServer();
    f = await seedReports(srv);
    admin = new HttpSession(srv.url);
    await admin.login(ADMIN.login, ADMIN.password);
    max = new HttpSession(srv.url);
    await max.login(TECH_LOGIN, TECH_PASSWORD);
  });
  afterAll(() => srv?.close());

  const csv = async (session: HttpSession, query: string) => {
    const res = await fetch(`${srv.url}/api/reports/sessions.csv?${query}`, { headers: { cookie: session.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    return parseCsv(text);
  };

  it('the CSV has the documented columns and the rows of a date range and a technician', async () => {
    const [header, ...rows] = await csv(admin, `from=2026-03-01&to=2026-03-03&technician=${f.maxId}`);
    expect(header).toEqual(DOCUMENTED);
    expect(rows).toEqual([
      [f.s.march1Max, expect.stringMatching(/^\d{9}$/), 'max', 'Max Mustermann', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:30.000Z', '2026-03-01T10:31:00.000Z', '1800', 'technician:ended-by-technician', 'a'.repeat(64), '0', '1', '2', '1024', '123456'],
    ]);
  });

  it('without a technician an admin gets everyone in the range, newest first; the end of the range is exclusive', async () => {
    const rows = await csv(admin, 'from=2026-03-01&to=2026-03-03');
    expect(rows.slice(1).map((r) => r[0])).toEqual([f.s.march2Eva, f.s.march1Nobody, f.s.march1Max]);
    const eva = rows.find((r) => r[0] === f.s.march2Eva)!;
    expect(eva[3]).toBe('Eva "=1+2" Beispiel'); // quoted by the CSV; no formula at its start, so left as it is
    const exclusive = await csv(admin, 'from=2026-03-01T00:00:00Z&to=2026-03-02T23:59:59Z');
    expect(exclusive.slice(1).map((r) => r[0])).toEqual([f.s.march1Nobody, f.s.march1Max]);
    const offset = await csv(admin, 'from=2026-03-01T00:59:59%2B01:00&to=2026-03-01T01:00:00%2B01:00');
    expect(offset.slice(1).map((r) => r[0])).toEqual([f.s.feb28Max]); // 23:59:59Z is 00:59:59+01:00
  });

  it('neutralises a cell a spreadsheet would run as a formula', async () => {
    await srv.database.db.updateTable('users').set({ display_name: '=HYPERLINK("http://evil")' }).where('login', '=', 'eva').execute();
    const rows = await csv(admin, 'from=2026-03-02&to=2026-03-03');
    expect(rows[1]![3]).toBe('\'=HYPERLINK("http://evil")');
  });

  it('a technician gets only their own sessions, by default and when asking for themselves', async () => {
    const all = await csv(max, '');
    expect(all.slice(1).map((r) => r[0])).toEqual([f.s.march5Max, f.s.march1Max, f.s.feb28Max]);
    const own = await max.call('GET', `/api/reports/sessions?technician=${f.maxId}&from=2026-03-01`);
    expect((own.body as { sessions: { sessionId: string }[] }).sessions.map((r) => r.sessionId)).toEqual([f.s.march5Max, f.s.march1Max]);
  });

  it('the JSON rows carry duration and event counts; the detail page has the events', async () => {
    const res = await admin.call('GET', '/api/reports/sessions?from=2026-03-01&to=2026-03-02');
    const row = (res.body as { sessions: Record<string, unknown>[] }).sessions.find((r) => r.sessionId === f.s.march1Max);
    expect(row).toMatchObject({ durationSeconds: 1800, controlGranted: 1, filesTransferred: 2, bytesTransferred: 1024, technicianLogin: 'max', relayedBytes: 123_456, events: { 'control-granted': 1, 'file-offered': 3, 'file-completed': 4 } });
    const detail = await max.call('GET', `/api/reports/sessions/${f.s.march1Max}`);
    expect(detail.status).toBe(200);
    expect((detail.body as { events: { event: string }[] }).events.map((e) => e.event)).toEqual(['control-granted', 'file-offered', 'file-offered', 'file-completed', 'file-completed', 'file-completed', 'file-offered', 'file-completed', 'session-ended']);
    expect((await admin.call('GET', `/api/reports/sessions/${f.s.march2Eva}`)).status).toBe(200);
  });

  it('refuses a bad date, naming it', async () => {
    const res = await admin.call('GET', '/api/reports/sessions?from=yesterday');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid', message: expect.stringContaining('from') as string } });
  });
});
