import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, auditDb, canonicalJson, createDatabase, createLogger, entryHash, migrateToLatest } from '@fernhilfe/server';
import { signedHeadSchema } from '@fernhilfe/protocol';
import { HttpSession } from '../server/http-session.js';
import { buildOnce, runCli } from '../support/processes.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';

const ADMIN_PASSWORD = 'admin password that is long';

/**
 * What someone with write access to the database can do today: change an entry, re-hash it and
 * every later one, and move the head. The chain is consistent again; only a signed head kept
 * outside the database shows it.
 */
async function rewriteChainConsistently(dataDir: string, seq: number): Promise<void> {
  const database = await createDatabase({ dataDir });
  try {
    const db = auditDb(database.db);
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', seq).orderBy('seq', 'asc').execute();
    let prevHash = rows[0]!.prev_hash;
    for (const row of rows) {
      const data = JSON.parse(row.data) as Record<string, never>;
      const forged = row.seq === seq ? { ...data, forged: true } : data;
      const hash = entryHash({ seq: row.seq, prevHash, time: row.time, sessionId: row.session_id, event: row.event, actor: row.actor, data: forged });
      await db.updateTable('audit_log').set({ prev_hash: prevHash, hash, data: canonicalJson(forged) }).where('seq', '=', row.seq).execute();
      prevHash = hash;
    }
    await db.updateTable('audit_head').set({ hash: prevHash }).where('id', '=', 1).execute();
  } finally {
    await database.close();
  }
}

describe('signed audit heads: `audit verify --head` catches a chain rewritten consistently in the database', () => {
  let dataDir: string;
  let tmp: string;
  let headFile: string;
  const env = () => ({ DATA_DIR: dataDir });

  beforeAll(async () => {
    buildOnce();
    dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-signed-head-'));
    tmp = mkdtempSync(path.join(tmpdir(), 'fernhilfe-signed-head-out-'));
    const database = await createDatabase({ dataDir });
    await migrateToLatest(database.db);
    const log = new AuditLog({ db: auditDb(database.db), dialect: database.dialect, logger: createLogger('silent') });
    for (let i = 0; i < 6; i++) await log.append({ sessionId: 's', event: 'file-completed', actor: 'customer', data: { name: `invoice-${i}.pdf`, size: 1000 + i } });
    await database.close();

    const srv = await startTestServer({ DATA_DIR: dataDir });
    try {
      await srv.accounts.createUser({ login: 'boss', password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
      const admin = new HttpSession(srv.url);
      expect((await admin.login('boss', ADMIN_PASSWORD)).status).toBe(200);
      const res = await admin.call('GET', '/api/admin/audit/head');
      expect(res.status).toBe(200);
      const signed = signedHeadSchema.parse(res.body);
      expect(signed.head).toMatchObject({ format: 'fernhilfe-audit-head/1', seq: 6 });
      headFile = path.join(tmp, 'head.json');
      writeFileSync(headFile, JSON.stringify(res.body));
      const asTech = new HttpSession(srv.url);
      expect((await asTech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
      expect((await asTech.call('GET', '/api/admin/audit/head')).status).toBe(403);
    } finally {
      await srv.close();
    }
  }, 180_000);
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the server also signs the head at start and keeps it outside the database (DATA_DIR/audit-heads.jsonl)', () => {
    const lines = readFileSync(path.join(dataDir, 'audit-heads.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2); // at start, and for the request
    for (const line of lines) expect(signedHeadSchema.safeParse(JSON.parse(line)).success).toBe(true);
  });

  it('passes an unchanged chain, refuses a changed head file and a head signed by another key', async () => {
    const ok = await runCli(['audit', 'verify', '--head', headFile], { env: env() });
    expect(ok.stdout).toMatch(/^audit chain ok: 6 entries \(1 to 6\); head [0-9a-f]{64}\nsigned head 1 ok: entries up to 6 are unchanged\n$/);
    expect(ok.code).toBe(0);

    const edited = path.join(tmp, 'edited.json');
    writeFileSync(edited, readFileSync(headFile, 'utf8').replace('"seq":6', '"seq":5'));
    const bad = await runCli(['audit', 'verify', '--head', edited], { env: env() });
    expect(bad.stdout).toContain('BROKEN against signed head 1 (bad-signature): the head file was changed after it was signed');
    expect(bad.code).toBe(1);

    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64url');
    const wrongKey = await runCli(['audit', 'verify', '--head', headFile, '--key', other], { env: env() });
    expect(wrongKey.stdout).toContain('(wrong-key)');
    expect(wrongKey.code).toBe(1);
  });

  it('catches entry 3 changed, every later entry re-hashed and the head moved, which plain `audit verify` cannot', async () => {
    await rewriteChainConsistently(dataDir, 3);
    const plain = await runCli(['audit', 'verify'], { env: env() });
    expect(plain.stdout).toMatch(/^audit chain ok: 6 entries/); // the limit of a chain kept only in the database
    expect(plain.code).toBe(0);

    const withHead = await runCli(['audit', 'verify', '--head', headFile], { env: env() });
    expect(withHead.stdout).toContain('audit chain BROKEN against signed head 1 (changed): entry 6 does not have the hash of the signed head');
    expect(withHead.stdout).toContain('the chain up to it was rewritten');
    expect(withHead.code).toBe(1);
  });
});
