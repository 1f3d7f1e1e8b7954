import { createDatabase, migrateToLatest, verifyAuditChain } from '@fernhilfe/server';

export interface AuditVerifyOptions {
  dataDir: string;
  databaseUrl?: string;
  out?: NodeJS.WritableStream;
}

/**
 * `fernhilfe audit verify`: checks the whole audit chain in the configured database and prints one
 * line. Returns the exit code: 0 when the chain is intact, 1 when it names the first broken entry.
 */
export async function auditVerify(opts: AuditVerifyOptions): Promise<number> {
  const out = opts.out ?? process.stdout;
  const database = await createDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  try {
    await migrateToLatest(database.db);
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      const range = result.entries === 0 ? 'no entries' : `${result.entries} entries (${result.firstSeq} to ${result.headSeq})`;
      const anchor = result.anchoredAt === undefined ? '' : `, anchored at entry ${result.anchoredAt} after retention`;
      out.write(`audit chain ok: ${range}${anchor}; head ${result.headHash}\n`);
      return 0;
    }
    out.write(`audit chain BROKEN at entry ${result.seq} (${result.kind}): ${result.message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}
