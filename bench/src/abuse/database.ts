import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BenchError } from '../errors.js';

/** The size of the server's SQLite database and its rows that an unauthenticated client can add. */
export interface DatabaseSize {
  bytes: number;
  rows: { supportSessions: number; auditEntries: number; receiptTokens: number };
}

/** Reads the data directory of a running server (files with -wal and -shm, rows read-only). */
export function databaseSize(dataDir: string): DatabaseSize {
  let bytes = 0;
  for (const name of readdirSync(dataDir)) if (/\.(db|sqlite)(-wal|-shm)?$/.test(name)) bytes += statSync(path.join(dataDir, name)).size;
  const file = readdirSync(dataDir).find((n) => /\.(db|sqlite)$/.test(n));
  if (!file) throw new BenchError('setup', `no SQLite database in ${dataDir}`);
  const db = new Database(path.join(dataDir, file), { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { bytes, rows: { supportSessions: count('support_sessions'), auditEntries: count('audit_log'), receiptTokens: count('receipt_tokens') } };
  } finally {
    db.close();
  }
}

export function growth(before: DatabaseSize, after: DatabaseSize): DatabaseSize {
  return {
    bytes: after.bytes - before.bytes,
    rows: {
      supportSessions: after.rows.supportSessions - before.rows.supportSessions,
      auditEntries: after.rows.auditEntries - before.rows.auditEntries,
      receiptTokens: after.rows.receiptTokens - before.rows.receiptTokens,
    },
  };
}
