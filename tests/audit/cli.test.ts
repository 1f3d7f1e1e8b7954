import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, auditDb, createDatabase, createLogger, migrateToLatest } from '@fernhilfe/server';
import { buildOnce, runCli } from '../support/processes.js';
import { startPostgres, type PostgresServer } from '@fernhilfe/testkit';

/** The real `fernhilfe audit verify` command on SQLite (DATA_DIR) and PostgreSQL (DATABASE_URL). */
describe('npx fernhilfe audit verify', () => {
  let dataDir: string;
  let pg: PostgresServer;
  beforeAll(async () => {
    buildOnce();
    dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-audit-cli-'));
    pg = await startPostgres({ database: 'audit_cli' });
  }, 180_000);
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.stop();
  });

  const cases = (): { name: string; env: Record<string, string>; open: { dataDir: string; databaseUrl?: string } }[] => [
    { name: 'SQLite', env: { DATA_DIR: dataDir }, open: { dataDir } },
    { name: 'PostgreSQL', env: { DATA_DIR: dataDir, DATABASE_URL: pg.url }, open: { dataDir, databaseUrl: pg.url } },
  ];

  it('exits 0 on an intact chain and 1 naming the changed entry, on both databases', async () => {
    for (const c of cases()) {
      const database = await createDatabase(c.open);
      try {
        await migrateToLatest(database.db);
        const log = new AuditLog({ db: auditDb(database.db), dialect: database.dialect, logger: createLogger('silent') });
        for (let i = 0; i < 5; i++) await log.append({ sessionId: 's', event: 'control-granted', actor: 'customer', data: { i } });
        const ok = await runCli(['audit', 'verify'], { env: c.env });
        expect(ok.stdout, c.name).toMatch(/^audit chain ok: 5 entries \(1 to 5\); head [0-9a-f]{64}\n$/);
        expect(ok.code, c.name).toBe(0);

        await sql`update audit_log set data = '{"i":42}' where seq = 3`.execute(database.db);
        const broken = await runCli(['audit', 'verify'], { env: c.env });
        expect(broken.stdout, c.name).toBe('audit chain BROKEN at entry 3 (changed): entry 3: its contents do not match its hash: changed\n');
        expect(broken.code, c.name).toBe(1);
      } finally {
        await database.close();
      }
    }
  });
});
