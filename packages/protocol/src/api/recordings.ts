import '../messages/zod-config.js';
import { z } from 'zod';

/** The operator's recording policy (RECORDING) and key, public: both apps read it (docs/recording.md). */
export const recordingPolicySchema = z.strictObject({
  policy: z.enum(['off', 'allowed', 'required']),
  /** X25519, base64url; null when the policy is off */
  publicKey: z.string().nullable(),
});
export type RecordingPolicyInfo = z.infer<typeof recordingPolicySchema>;

export const startRecordingBodySchema = z.strictObject({ customerId: z.string().regex(/^\d{9}$/, 'a customer ID has 9 digits') });
export const startRecordingReplySchema = z.strictObject({ id: z.string().uuid() });
export const finishRecordingBodySchema = z.strictObject({
  /** how many chunks were uploaded (indexes 0..chunks-1) */
  chunks: z.number().int().min(1).max(100_000),
  stoppedBy: z.enum(['technician', 'customer', 'session-end']),
});
export const finishRecordingReplySchema = z.strictObject({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const recordingRowSchema = z.strictObject({
  id: z.string(),
  sessionId: z.string(),
  customerId: z.string(),
  technicianUserId: z.string(),
  technicianName: z.string(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  stoppedBy: z.string().nullable(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
});
export type RecordingRow = z.infer<typeof recordingRowSchema>;
export const recordingsReplySchema = z.strictObject({
  recordings: z.array(recordingRowSchema),
  /** RETENTION_DAYS: recordings older than this many days are deleted (0: kept until an admin deletes them) */
  retentionDays: z.number().int().nonnegative(),
});
export const recordingDeletedReplySchema = z.strictObject({ deleted: z.literal(true) });
