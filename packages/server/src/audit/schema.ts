import type { Kysely } from 'kysely';
import type { EpochMs, Schema } from '../storage/schema.js';

/** The tables of migration 005_audit, added to the storage schema with `withTables` (see `auditDb`). */
export interface AuditLogTable {
  seq: number;
  prev_hash: string;
  hash: string;
  time: EpochMs;
  session_id: string | null;
  event: string;
  actor: string;
  /** canonical JSON of the entry's data */
  data: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditAnchorsTable {
  seq: number;
  prev_hash: string;
  deleted_count: number;
  created_at: EpochMs;
}

export interface TermsVersionsTable {
  version: string;
  de: string;
  en: string;
  created_at: EpochMs;
  created_by: string | null;
}

export interface ReceiptTokensTable {
  /** SHA-256 hex of the token the customer holds */
  token_hash: string;
  session_id: string;
  created_at: EpochMs;
}

// a type alias (not an interface): withTables wants an index-compatible record type
export type AuditTables = {
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_anchors: AuditAnchorsTable;
  terms_versions: TermsVersionsTable;
  receipt_tokens: ReceiptTokensTable;
};

export type AuditDb = Kysely<Schema & AuditTables>;

export function auditDb(db: Kysely<Schema>): AuditDb {
  return db.withTables<AuditTables>();
}
