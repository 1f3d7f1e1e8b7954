import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, CanonicalError } from '../audit/canonical.js';
import type { AuditData } from '../audit/chain.js';
import { RECEIPT_EVENTS } from '../audit/events.js';
import type { AuditLog } from '../audit/log.js';
import type { AuditDb } from '../audit/schema.js';
import type { BrandingStore } from '../branding/store.js';
import type { ReceiptKeys } from './keys.js';

export const RECEIPT_FORMAT = 'fernhilfe-receipt/1';

export interface ReceiptEvent {
  /** the audit entry's number and hash: the receipt can be checked against the log */
  seq: number;
  entryHash: string;
  time: string;
  event: string;
  actor: 'customer' | 'technician' | 'server';
  data: AuditData;
}

/** What the customer gets (docs/audit.md, "Receipt"); times are ISO 8601 in UTC. */
export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  issuedAt: string;
  issuer: { server: string; publicKey: string };
  operator: { companyName: string; supportPhone: string; website: string };
  session: {
    id: string;
    customerId: string;
    termsVersion: string;
    language: string | null;
    customerAddr: string;
    openedAt: string;
    connectedAt: string | null;
    authenticatedAt: string | null;
    endedAt: string | null;
    endedBy: string | null;
    endReason: string | null;
  };
  technician: { displayName: string; company: string } | null;
  events: ReceiptEvent[];
}

export interface SignedReceipt {
  receipt: Receipt;
  /** Ed25519 over the UTF-8 bytes of canonicalJson(receipt); key and signature base64url */
  signature: { alg: 'Ed25519'; publicKey: string; value: string };
}

export type Verdict = { genuine: true; reason: 'genuine' } | { genuine: false; reason: 'not-a-receipt' | 'unknown-key' | 'bad-signature' };

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const actorKind = (actor: string): ReceiptEvent['actor'] => (actor === 'customer' ? 'customer' : actor.startsWith('technician:') ? 'technician' : 'server');

export interface ReceiptDeps {
  db: AuditDb;
  audit: AuditLog;
  branding: BrandingStore;
  keys: ReceiptKeys;
  /** the server's address as customers know it (PUBLIC_URL, else the one it listens on) */
  serverUrl: string;
  now?: () => number;
}

/** Builds and signs receipts, and checks receipts anyone brings to /verify. */
export class ReceiptService {
  constructor(private readonly deps: ReceiptDeps) {}

  get publicKey(): string {
    return this.deps.keys.publicKey;
  }

  /** The session a receipt token belongs to, if any. */
  async sessionForToken(token: string): Promise<string | undefined> {
    const hash = createHash('sha256').update(token).digest('hex');
    const row = await this.deps.db.selectFrom('receipt_tokens').select('session_id').where('token_hash', '=', hash).executeTakeFirst();
    return row?.session_id;
  }

  async build(sessionId: string): Promise<SignedReceipt | undefined> {
    const { db, audit, branding, keys } = this.deps;
    const row = await db.selectFrom('support_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    if (!row) return undefined;
    const tech = row.technician_user_id
      ? await db.selectFrom('users').select(['display_name', 'company']).where('id', '=', row.technician_user_id).executeTakeFirst()
      : undefined;
    const entries = (await audit.forSession(sessionId)).filter((e) => RECEIPT_EVENTS.has(e.event));
    const accepted = entries.find((e) => e.event === 'terms-accepted');
    const ended = entries.findLast((e) => e.event === 'session-ended');
    const { companyName, supportPhone, website } = await branding.get();
    const receipt: Receipt = {
      format: RECEIPT_FORMAT,
      issuedAt: new Date((this.deps.now ?? Date.now)()).toISOString(),
      issuer: { server: this.deps.serverUrl, publicKey: keys.publicKey },
      operator: { companyName, supportPhone, website },
      session: {
        id: row.id,
        customerId: row.customer_id,
        termsVersion: row.terms_version,
        language: typeof accepted?.data.language === 'string' ? accepted.data.language : null,
        customerAddr: row.customer_addr,
        openedAt: new Date(row.created_at).toISOString(),
        connectedAt: iso(row.connected_at),
        authenticatedAt: iso(row.authenticated_at),
        endedAt: iso(row.ended_at),
        endedBy: typeof ended?.data.by === 'string' ? ended.data.by : null,
        endReason: typeof ended?.data.reason === 'string' ? ended.data.reason : row.end_reason,
      },
      technician: tech ? { displayName: tech.display_name, company: tech.company } : null,
      events: entries.map((e) => ({ seq: e.seq, entryHash: e.hash, time: new Date(e.time).toISOString(), event: e.event, actor: actorKind(e.actor), data: e.data })),
    };
    return { receipt, signature: { alg: 'Ed25519', publicKey: keys.publicKey, value: keys.sign(canonicalJson(receipt)) } };
  }

  /** Whether `body` is a receipt this server signed, unchanged. Never throws. */
  verify(body: unknown): Verdict {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success) return { genuine: false, reason: 'not-a-receipt' };
    const { receipt, signature } = parsed.data;
    if (signature.publicKey !== this.deps.keys.publicKey) return { genuine: false, reason: 'unknown-key' };
    let message: string;
    try {
      message = canonicalJson(receipt);
    } catch (err) {
      if (err instanceof CanonicalError) return { genuine: false, reason: 'not-a-receipt' };
      throw err;
    }
    return this.deps.keys.verify(message, signature.value) ? { genuine: true, reason: 'genuine' } : { genuine: false, reason: 'bad-signature' };
  }
}

const envelopeSchema = z.strictObject({
  receipt: z.looseObject({ format: z.literal(RECEIPT_FORMAT) }),
  signature: z.strictObject({ alg: z.literal('Ed25519'), publicKey: z.string().max(100), value: z.string().max(200) }),
});
