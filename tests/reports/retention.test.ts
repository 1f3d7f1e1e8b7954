import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDb, ConfigError, loadConfig, runRetention, verifyAuditChain } from '@fernhilfe/server';
import { HttpSession } from '../server/http-session.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ADMIN, seedReports, type Fixture } from './fixture.js';

describe('retention', () => {
  let srv: TestServer;
  let f: Fixture;
  beforeAll(async () => {
    srv = await startTestServer({ RETENTION_DAYS: '0' });
    f = await seedReports(srv);
  });
  afterAll(() => srv?.close());

  it('RETENTION_DAYS defaults to 365, 0 keeps everything, and a bad value is named', () => {
    expect(loadConfig({}).retentionDays).toBe(365);
    expect(loadConfig({ RETENTION_DAYS: '0' }).retentionDays).toBe(0);
    for (const bad of ['-1', 'forever', '36501']) expect(() => loadConfig({ RETENTION_DAYS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_DAYS: 'x' })).toThrow(/RETENTION_DAYS/);
  });

  it('deletes the sessions and audit entries older than N days; the chain still verifies; reports and receipts follow', async () => {
    const db = auditDb(srv.database.db);
    const before = await db.selectFrom('audit_log').select(['seq', 'time']).orderBy('seq').execute();
    await db.insertInto('receipt_tokens').values({ token_hash: 'f'.repeat(64), session_id: f.s.march1Max, created_at: 0 }).execute();
    // keep what is at most 30 days older than 2026-04-01T12:00Z: from 2026-03-02T12:00Z on
    const result = await runRetention({ db, dialect: srv.database.dialect, days: 30, now: Date.parse('2026-04-01T12:00:00Z') });
    expect(result).toMatchObject({ sessionsDeleted: 3, entriesDeleted: 9, anchoredAt: 10 });
    const left = await db.selectFrom('support_sessions').select('id').orderBy('id').execute();
    expect(left.map((r) => r.id)).toEqual([f.s.march2Eva, f.s.march5Max]);
    expect(await db.selectFrom('receipt_tokens').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => r.seq)).toEqual(before.filter((e) => e.seq >= 10).map((e) => e.seq));
    expect(await verifyAuditChain(srv.database.db)).toMatchObject({ ok: true, anchoredAt: 10 });

    const admin = new HttpSession(srv.url);
    await admin.login(ADMIN.login, ADMIN.password);
    const report = await admin.call('GET', '/api/reports/sessions');
    expect((report.body as { sessions: { sessionId: string }[] }).sessions.map((r) => r.sessionId)).toEqual([f.s.march5Max, f.s.march2Eva]);
    expect((await admin.call('GET', '/api/admin/audit/verify')).body).toMatchObject({ ok: true });
    // a second run has nothing left to do and adds no anchor
    expect(await runRetention({ db, dialect: srv.database.dialect, days: 30, now: Date.parse('2026-04-01T12:00:00Z') })).toMatchObject({ sessionsDeleted: 0, entriesDeleted: 0 });
    expect(await db.selectFrom('audit_anchors').select('seq').execute()).toEqual([{ seq: 10 }]);
  });
});
