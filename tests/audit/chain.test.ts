import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, auditDb, canonicalJson, createDatabase, entryHash, createLogger, migrateToLatest, runRetention, type Database } from '@fernhilfe/server';
import { auditVerify } from '../../packages/cli/src/commands/audit.js';
import { testBackends } from '../support/postgres.js';

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

/** Runs `fernhilfe audit verify` on this database (in-process): exit code and the line it printed. */
async function verify(opts: { dataDir: string; databaseUrl?: string }): Promise<{ code: number; line: string }> {
  let line = '';
  const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((line += chunk.toString()), done()) });
  const code = await auditVerify({ ...opts, out });
  return { code, line: line.trim() };
}

describe.each(backends)('audit chain on $name', (backend) => {
  let database: Database;
  let opts: { dataDir: string; databaseUrl?: string };
  let log: AuditLog;
  let clock: number;

  beforeEach(async () => {
    opts = await backend.freshDatabase();
    database = await createDatabase(opts);
    await migrateToLatest(database.db);
    clock = Date.UTC(2026, 0, 1);
    log = new AuditLog({ db: auditDb(database.db), dialect: database.dialect, logger: createLogger('silent'), now: () => (clock += 1000) });
    for (let i = 1; i <= 10; i++) {
      await log.append({ sessionId: `s${i % 3}`, event: i % 2 ? 'control-granted' : 'file-completed', actor: 'customer', data: { n: i, name: `Datei ${i}.txt`, nested: { ok: true } } });
    }
  });
  afterEach(() => database.close());

  const exec = (query: string) => sql.raw(query).execute(database.db);

  it('verifies an untouched chain, concurrent appends included', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append({ sessionId: null, event: 'terms-changed', actor: 'admin:x', data: { i } })));
    const { code, line } = await verify(opts);
    expect(line).toMatch(/^audit chain ok: 30 entries \(1 to 30\); head [0-9a-f]{64}$/);
    expect(code).toBe(0);
  });

  it.each([
    ['data', `update audit_log set data = '{"n":999,"name":"Datei 4.txt","nested":{"ok":true}}' where seq = 4`, 4, 'changed'],
    ['event', `update audit_log set event = 'control-revoked' where seq = 7`, 7, 'changed'],
    ['time', `update audit_log set time = time + 1 where seq = 2`, 2, 'changed'],
    ['actor', `update audit_log set actor = 'technician:evil' where seq = 1`, 1, 'changed'],
    ['session', `update audit_log set session_id = 'other' where seq = 10`, 10, 'changed'],
    ['non-canonical data', `update audit_log set data = '{"n":3, "name":"Datei 3.txt","nested":{"ok":true}}' where seq = 3`, 3, 'changed'],
  ])('names the entry whose %s was changed', async (_what, query, seq, kind) => {
    await exec(query);
    const { code, line } = await verify(opts);
    expect(line).toContain(`BROKEN at entry ${seq} (${kind})`);
    expect(code).toBe(1);
  });

  it('names a deleted entry, in the middle and at the end', async () => {
    await exec('delete from audit_log where seq = 6');
    expect(await verify(opts)).toEqual({ code: 1, line: expect.stringContaining('BROKEN at entry 6 (deleted)') as string });
    await exec('delete from audit_log where seq >= 6');
    expect(await verify(opts)).toEqual({ code: 1, line: expect.stringContaining('BROKEN at entry 6 (truncated)') as string });
  });

  it('names the first of two swapped entries', async () => {
    await exec('update audit_log set seq = -5 where seq = 5');
    await exec('update audit_log set seq = 5 where seq = 8');
    await exec('update audit_log set seq = 8 where seq = -5');
    const { code, line } = await verify(opts);
    expect(line).toContain('BROKEN at entry 5 (reordered)');
    expect(line).toContain('stored as entry 8');
    expect(code).toBe(1);
  });

  it('names an inserted entry, beyond the head and in place of a real one', async () => {
    await exec(`insert into audit_log (seq, prev_hash, hash, time, session_id, event, actor, data) select 11, hash, hash, time, session_id, event, actor, data from audit_log where seq = 10`);
    expect(await verify(opts)).toEqual({ code: 1, line: expect.stringContaining('BROKEN at entry 11') as string });
    await exec('delete from audit_log where seq = 11');
    // a forger who changes entry 3 and re-hashes it with the real algorithm is caught at entry 4
    const row = await database.db.withTables<{ audit_log: { seq: number; prev_hash: string; time: number; session_id: string | null; event: string; actor: string } }>()
      .selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    const data = { n: 3, name: 'forged.txt', nested: { ok: true } };
    const hash = entryHash({ seq: 3, prevHash: row.prev_hash, time: row.time, sessionId: row.session_id, event: row.event, actor: row.actor, data });
    await exec(`update audit_log set data = '${canonicalJson(data)}', hash = '${hash}' where seq = 3`);
    const { code, line } = await verify(opts);
    expect(line).toContain('BROKEN at entry 4 (inserted): entry 4 does not follow entry 3: the entry before it was changed and re-hashed');
    expect(code).toBe(1);
  });

  it('stays verifiable after retention, from the anchor on, and notices a deletion before it', async () => {
    const db = auditDb(database.db);
    // entries 1..10 were written at clock 1..10 s; keep those from the 7th second on
    const now = Date.UTC(2026, 0, 1) + 7000 + 86_400_000;
    const result = await runRetention({ db, dialect: database.dialect, days: 1, now });
    expect(result).toMatchObject({ entriesDeleted: 6, anchoredAt: 7 });
    const anchors = await db.selectFrom('audit_anchors').selectAll().execute();
    expect(anchors).toEqual([{ seq: 7, prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string, deleted_count: 6, created_at: now }]);
    expect(await verify(opts)).toEqual({ code: 0, line: expect.stringMatching(/^audit chain ok: 4 entries \(7 to 10\), anchored at entry 7 after retention/) as string });
    await log.append({ sessionId: null, event: 'terms-changed', actor: 'admin:x', data: {} });
    expect((await verify(opts)).code).toBe(0);
    await exec('delete from audit_log where seq = 7');
    expect((await verify(opts)).line).toContain('BROKEN at entry 7 (deleted)');
  });

  it('after a retention that deleted everything, the next entry continues the chain', async () => {
    const db = auditDb(database.db);
    const result = await runRetention({ db, dialect: database.dialect, days: 1, now: Date.UTC(2026, 0, 10) });
    expect(result).toMatchObject({ entriesDeleted: 10, anchoredAt: 11 });
    expect((await verify(opts)).code).toBe(0);
    await log.append({ sessionId: null, event: 'terms-changed', actor: 'admin:x', data: {} });
    expect((await verify(opts)).line).toMatch(/^audit chain ok: 1 entries \(11 to 11\)/);
    await exec('update audit_anchors set deleted_count = 9');
    expect((await verify(opts)).line).toContain('BROKEN at entry 11 (anchor)');
  });
});
