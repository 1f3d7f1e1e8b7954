import { createHash } from 'node:crypto';
import { canonicalJson, type CanonicalValue } from './canonical.js';

/** `prevHash` of the very first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditData = { readonly [key: string]: CanonicalValue };

/** One entry of the chain as it is hashed (docs/audit.md, "Hashing an entry"). */
export interface ChainedEntry {
  seq: number;
  prevHash: string;
  /** epoch milliseconds */
  time: number;
  sessionId: string | null;
  event: string;
  actor: string;
  data: AuditData;
}

/**
 * SHA-256 (lower-case hex) over the UTF-8 bytes of the canonical JSON (RFC 8785) of
 * `{seq, prevHash, time, sessionId, event, actor, data}`. `prevHash` is inside, so each hash
 * covers the whole chain before it.
 */
export function entryHash(entry: ChainedEntry): string {
  const { seq, prevHash, time, sessionId, event, actor, data } = entry;
  return createHash('sha256').update(canonicalJson({ seq, prevHash, time, sessionId, event, actor, data }), 'utf8').digest('hex');
}
