import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog, auditDb, createDatabase, createLogger, migrateToLatest, verifyAuditChain } from '@fernhilfe/server';
import { testBackends } from '../support/postgres.js';

const postgres = testBackends().find((b) => b.name === 'postgres')!;
afterAll(() => postgres.dispose());

/** Several server nodes share one PostgreSQL: their appends must still form one unbroken chain. */
describe('audit appends from several nodes on one PostgreSQL', () => {
  it('serialises 3 nodes × 30 concurrent appends into one chain of 90', async () => {
    const { databaseUrl, dataDir } = await postgres.freshDatabase();
    const nodes = await Promise.all([0, 1, 2].map(() => createDatabase({ databaseUrl, dataDir })));
    try {
      await migrateToLatest(nodes[0]!.db);
      const logs = nodes.map((d) => new AuditLog({ db: auditDb(d.db), dialect: d.dialect, logger: createLogger('silent') }));
      const written = await Promise.all(
        logs.flatMap((log, node) => Array.from({ length: 30 }, (_, i) => log.append({ sessionId: `n${node}`, event: 'control-granted', actor: 'customer', data: { node, i } }))),
      );
      expect(new Set(written.map((e) => e.seq)).size).toBe(90);
      expect(Math.max(...written.map((e) => e.seq))).toBe(90);
      expect(await verifyAuditChain(nodes[0]!.db)).toMatchObject({ ok: true, entries: 90, headSeq: 90 });
    } finally {
      await Promise.all(nodes.map((d) => d.close()));
    }
  });
});
