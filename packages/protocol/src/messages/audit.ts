import './zod-config.js';
import { z } from 'zod';

/**
 * What an endpoint reports to the server for the session's audit trail (docs/audit.md). Metadata only:
 * never chat, pixels, keystrokes or file contents. The server records each report with the role that
 * sent it, so a report says "the customer's module said the customer granted control".
 */
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 hex digits');
export const transferIdSchema = z.string().regex(/^[0-9a-f]{16,32}$/, 'a transfer id is 8-16 bytes in hex');
export const fileDirectionSchema = z.enum(['to-customer', 'to-technician']);
const file = {
  transferId: transferIdSchema,
  direction: fileDirectionSchema,
  /** the safe name (after sanitising), at most 255 characters */
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
};

export const sessionReportSchema = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('control-granted') }),
  z.strictObject({ event: z.literal('control-revoked') }),
  z.strictObject({ event: z.literal('clipboard-allowed') }),
  z.strictObject({ event: z.literal('clipboard-revoked') }),
  z.strictObject({ event: z.literal('file-offered'), ...file }),
  /** the customer refused to be recorded (docs/recording.md); `required`: the operator requires it, so the session ends */
  z.strictObject({ event: z.literal('recording-refused'), required: z.boolean() }),
  z.strictObject({ event: z.literal('file-accepted'), ...file }),
  z.strictObject({ event: z.literal('file-refused'), ...file }),
  z.strictObject({ event: z.literal('file-completed'), ...file, sha256: sha256Hex }),
  z.strictObject({
    event: z.literal('file-failed'),
    ...file,
    reason: z.enum(['cancelled-by-customer', 'cancelled-by-technician', 'hash-mismatch', 'too-large', 'not-allowed', 'write-failed', 'session-ended']),
  }),
]);
export type SessionReport = z.infer<typeof sessionReportSchema>;
export type SessionReportEvent = SessionReport['event'];

/** The message both endpoints send to the server (customer.ts and technician.ts include it). */
export const reportMessageSchema = z.strictObject({ type: z.literal('report'), report: sessionReportSchema });
