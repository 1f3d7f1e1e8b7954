import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.js';
import { auditDb } from './schema.js';
import { verifyChain, type VerifyResult } from './verify.js';

export { canonicalJson, CanonicalError } from './canonical.js';
export { entryHash, GENESIS_HASH, type ChainedEntry } from './chain.js';
export { AuditLog, type AuditEntry, type NewAuditEntry } from './log.js';
export { runRetention, DAY_MS, type RetentionResult } from './retention.js';
export { auditDb, type AuditDb, type AuditTables } from './schema.js';
export type { BreakKind, VerifyResult } from './verify.js';

/** Checks the whole audit chain of a database (what `fernhilfe audit verify` runs). */
export function verifyAuditChain(db: Kysely<Schema>): Promise<VerifyResult> {
  return verifyChain(auditDb(db));
}
