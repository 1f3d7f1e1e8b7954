import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { AUDIT_HEAD_FORMAT, signedHeadSchema, type SignedHead } from '@fernhilfe/protocol';
import type { Logger } from '../logger.js';
import { rawPublicKeyB64 } from '../keys/server-keys.js';
import { canonicalJson } from './canonical.js';
import type { AuditDb } from './schema.js';
import { verifyChain } from './verify.js';

/*
 * A signed audit head (docs/audit.md, "Signed heads", schema in @fernhilfe/protocol): kept anywhere
 * outside the database, it proves that no entry up to `seq` changed since: every hash covers all
 * entries before it.
 */

/** Signs the chain's current head. */
export async function signHead(db: AuditDb, key: KeyObject, now: () => number = Date.now): Promise<SignedHead> {
  const row = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const head = { format: AUDIT_HEAD_FORMAT, seq: row.seq, hash: row.hash, time: new Date(now()).toISOString(), publicKey: rawPublicKeyB64(key) } as const;
  return { head, signature: sign(null, Buffer.from(canonicalJson(head), 'utf8'), key).toString('base64url') };
}

export type HeadCheck =
  | { ok: true; seq: number }
  | { ok: false; kind: 'not-a-head' | 'wrong-key' | 'bad-signature' | 'changed' | 'missing' | 'retention'; message: string };

/**
 * Whether the database's chain still holds the signed head: signature by `trusted`, the chain intact,
 * and entry `seq` (or the anchor where retention cut the chain just after it) with the signed hash.
 */
export async function checkAgainstHead(db: AuditDb, body: unknown, trusted: KeyObject): Promise<HeadCheck> {
  const parsed = signedHeadSchema.safeParse(body);
  if (!parsed.success) return { ok: false, kind: 'not-a-head', message: 'not a signed audit head of this format' };
  const { head, signature } = parsed.data;
  if (head.publicKey !== rawPublicKeyB64(trusted)) {
    return { ok: false, kind: 'wrong-key', message: `the head was signed with key ${head.publicKey}, not with this server's audit head key ${rawPublicKeyB64(trusted)}` };
  }
  if (!verify(null, Buffer.from(canonicalJson(head), 'utf8'), trusted.type === 'public' ? trusted : createPublicKey(trusted), Buffer.from(signature, 'base64url'))) {
    return { ok: false, kind: 'bad-signature', message: 'the head file was changed after it was signed' };
  }
  const at = `the signed head of ${head.time} (entry ${head.seq})`;
  if (head.seq === 0) return { ok: true, seq: 0 };
  const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', head.seq).executeTakeFirst();
  if (row) {
    if (row.hash !== head.hash) return { ok: false, kind: 'changed', message: `entry ${head.seq} does not have the hash of ${at}: the chain up to it was rewritten` };
    return { ok: true, seq: head.seq };
  }
  const anchor = await db.selectFrom('audit_anchors').select(['seq', 'prev_hash']).where('seq', '=', head.seq + 1).executeTakeFirst();
  if (anchor) {
    if (anchor.prev_hash !== head.hash) return { ok: false, kind: 'changed', message: `the retention anchor after entry ${head.seq} does not carry the hash of ${at}: rewritten` };
    return { ok: true, seq: head.seq };
  }
  const chain = await verifyChain(db);
  if (chain.ok && chain.headSeq < head.seq) return { ok: false, kind: 'missing', message: `the chain ends at entry ${chain.headSeq}, before ${at}: entries were removed` };
  return { ok: false, kind: 'retention', message: `entry ${head.seq} was deleted by retention, so ${at} cannot be checked any more; check a newer head` };
}

/**
 * Signs the head at start, then every `everyMs`, and appends each to `file` (one JSON per line) and
 * to the log, so a copy exists outside the database; `signNow()` is what every export uses.
 */
export function scheduleHeadSigning(opts: { db: AuditDb; key: KeyObject; file: string | undefined; everyMs?: number; logger: Logger }): {
  signNow(): Promise<SignedHead>;
  stop(): void;
} {
  const signNow = async () => {
    const signed = await signHead(opts.db, opts.key);
    opts.logger.info({ auditHead: signed }, 'audit head signed');
    if (opts.file) await appendFile(opts.file, `${JSON.stringify(signed)}\n`, { mode: 0o644 });
    return signed;
  };
  const run = () => void signNow().catch((err: unknown) => opts.logger.error({ err }, 'signing the audit head failed'));
  const timer = setInterval(run, opts.everyMs ?? 3_600_000);
  timer.unref();
  run();
  return { signNow, stop: () => clearInterval(timer) };
}
