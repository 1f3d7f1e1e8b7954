import '../messages/zod-config.js';
import { z } from 'zod';
import { termsVersionSchema } from '../messages/common.js';

/** The operator's record in the console: terms, logo, audit log, connection reports. Requests and replies. */

const time = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();

/** Both language texts of one version of the terms (GET /api/terms, GET /terms/:version). */
export const termsSchema = z.strictObject({
  version: termsVersionSchema,
  text: z.strictObject({ de: z.string().max(200_000), en: z.string().max(200_000) }),
  /** the operator's recording policy (RECORDING; docs/recording.md), stated on the terms page; absent when off */
  recording: z.enum(['allowed', 'required']).optional(),
});
export type Terms = z.infer<typeof termsSchema>;

const MAX_TERMS = 20_000;
const termsText = (lang: string) =>
  z
    .string()
    .max(MAX_TERMS, `the ${lang} text may be at most ${MAX_TERMS} characters long`)
    .refine((s) => s.trim() !== '', `the ${lang} text must not be empty`);
/** PUT /api/admin/terms: a new text makes a new version. */
export const termsBodySchema = z.strictObject({ de: termsText('German'), en: termsText('English') });
export const termsVersionInfoSchema = z.strictObject({ version: termsVersionSchema, createdAt: time, createdBy: z.string().max(100).nullable(), current: z.boolean() });
export const adminTermsReplySchema = z.strictObject({ current: termsSchema, versions: z.array(termsVersionInfoSchema) });
export type AdminTerms = z.infer<typeof adminTermsReplySchema>;
export const saveTermsReplySchema = z.strictObject({ version: termsVersionSchema, changed: z.boolean() });

export const logoTypes = ['image/png', 'image/svg+xml'] as const;
export type LogoType = (typeof logoTypes)[number];
export const MAX_LOGO_BYTES = 256 * 1024;
/** PUT /api/admin/branding/logo */
export const logoBodySchema = z.strictObject({
  type: z.enum(logoTypes, { error: 'must be image/png or image/svg+xml' }),
  /** the file, base64 */
  data: z
    .string()
    .max(Math.ceil((MAX_LOGO_BYTES * 4) / 3) + 4, `the logo may be at most ${MAX_LOGO_BYTES / 1024} KiB`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
export const logoReplySchema = z.strictObject({ type: z.enum(logoTypes), size: count, sha256 });
export const logoRemovedReplySchema = z.strictObject({ removed: z.literal(true) });

/** GET /api/admin/audit?before&limit&session */
export const auditQuerySchema = z.strictObject({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  session: z.string().min(1).max(100).optional(),
});
export const auditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  hash: sha256,
  prevHash: sha256,
  time,
  sessionId: z.string().max(100).nullable(),
  event: z.string().max(100),
  actor: z.string().max(300),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditListReplySchema = z.strictObject({ entries: z.array(auditEntrySchema) });

/** GET /api/admin/audit/verify: the whole chain checked, or where it breaks. */
export const auditVerifyReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), entries: count, firstSeq: count.optional(), headSeq: count, headHash: z.string().max(64), anchoredAt: time.optional() }),
  z.strictObject({ ok: z.literal(false), seq: count, kind: z.enum(['changed', 'deleted', 'reordered', 'inserted', 'truncated', 'anchor']), message: z.string().max(1000), checked: count }),
]);
export type AuditVerifyResult = z.infer<typeof auditVerifyReplySchema>;

export const AUDIT_HEAD_FORMAT = 'fernhilfe-audit-head/1';
/**
 * GET /api/admin/audit/head: a signed audit head (docs/audit.md, "Signed heads"): the chain's newest
 * entry number and hash at a time, signed with the audit head key from the server key file.
 */
export const signedHeadSchema = z.strictObject({
  head: z.strictObject({
    format: z.literal(AUDIT_HEAD_FORMAT),
    seq: count,
    hash: sha256,
    time: z.string().max(40),
    publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  }),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});
export type SignedHead = z.infer<typeof signedHeadSchema>;

/** A day (`2026-03-01`, midnight UTC) or a moment with its offset (`2026-03-01T08:00:00+01:00`). */
const moment = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
/** GET /api/reports/sessions(.csv)?from&to&technician */
export const reportQuerySchema = z.strictObject({
  from: moment.optional(),
  to: moment.optional(),
  technician: z.string().min(1).max(100).optional(),
});
export type ReportQuery = z.input<typeof reportQuerySchema>;

/** One row of the connection report (docs/audit.md). */
export const reportRowSchema = z.strictObject({
  sessionId: z.string().max(100),
  customerId: z.string().max(20),
  technicianUserId: z.string().max(100).nullable(),
  technicianLogin: z.string().max(256).nullable(),
  technicianName: z.string().max(256).nullable(),
  openedAt: time,
  connectedAt: time.nullable(),
  authenticatedAt: time.nullable(),
  endedAt: time.nullable(),
  /** from the start of the encrypted session to its end, whole seconds; 0 if it never began */
  durationSeconds: count,
  endReason: z.string().max(100).nullable(),
  termsVersion: z.string().max(64),
  failedAttempts: count,
  controlGranted: count,
  /** transfers both ends reported: the sender's offer and the receiver's completion, same size */
  filesTransferred: count,
  /** the size of those transfers */
  bytesTransferred: count,
  /** PEER bytes this server relayed in the session, both ways: its own count, no endpoint's claim */
  relayedBytes: count,
  /** how many audit entries of each kind */
  events: z.record(z.string(), count),
});
export type ReportRow = z.infer<typeof reportRowSchema>;
export const reportRowsReplySchema = z.strictObject({ sessions: z.array(reportRowSchema) });
/** GET /api/reports/sessions/:id */
export const reportSessionReplySchema = z.strictObject({ session: reportRowSchema.optional(), events: z.array(auditEntrySchema) });
export const techniciansReplySchema = z.strictObject({
  users: z.array(z.strictObject({ id: z.string().max(100), login: z.string().max(256), displayName: z.string().max(256), role: z.enum(['admin', 'technician']) })),
});
export type Technician = z.infer<typeof techniciansReplySchema>['users'][number];

/** The platforms the QuickSupport program is built for (`npm run build:agent -- --platform NAME`). */
export const agentPlatformSchema = z.enum(['win-x64', 'linux-x64']);
export type AgentPlatform = z.infer<typeof agentPlatformSchema>;

/** One signed build the server offers: it verified with AGENT_PUBLIC_KEY and is not a rollback. */
export const agentDownloadSchema = z.strictObject({
  platform: agentPlatformSchema,
  /** the operating system it runs on, for choosing the visitor's build */
  os: z.enum(['windows', 'linux']),
  fileName: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
  version: z.string().max(32),
  built: z.string().max(32),
  size: count,
  sha256,
  /** the operator's Ed25519 key that signed it */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  downloadUrl: z.string().max(200),
  signatureUrl: z.string().max(200),
});
export type AgentDownload = z.infer<typeof agentDownloadSchema>;

/**
 * GET /api/agent/info: what the server publishes about the signed QuickSupport program.
 * `downloads`: every build on offer (Windows, then Linux). The fields beside it describe the Linux
 * build, as before there were several (`available`: the Linux build is offered).
 */
export const agentInfoSchema = z.strictObject({
  downloads: z.array(agentDownloadSchema).max(8),
  available: z.boolean(),
  /** base64 of the raw 32-byte Ed25519 public key */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/).nullable(),
  publicKeyPem: z.string().max(400).nullable(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
  fileName: z.string().max(128).nullable(),
  /** the signed release: version and build time (ISO 8601 UTC) */
  version: z.string().max(32).nullable(),
  built: z.string().max(32).nullable(),
  size: count.nullable(),
  sha256: sha256.nullable(),
  downloadUrl: z.string().max(200).nullable(),
  signatureUrl: z.string().max(200).nullable(),
});
export type AgentInfo = z.infer<typeof agentInfoSchema>;
