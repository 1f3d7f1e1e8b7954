import './zod-config.js';
import { z } from 'zod';
import { transferIdSchema } from './audit.js';

const transferId = transferIdSchema;
const offset = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 hex digits');

/** Why a transfer stopped before it completed (cancel) or never started (refuse). */
export const fileCancelReasons = ['cancelled', 'hash-mismatch', 'write-failed', 'read-failed', 'too-large', 'not-allowed', 'protocol-error'] as const;
export const fileCancelReasonSchema = z.enum(fileCancelReasons);
export type FileCancelReason = z.infer<typeof fileCancelReasonSchema>;
export const fileRefuseReasons = ['refused', 'too-large', 'not-allowed'] as const;
export type FileRefuseReason = (typeof fileRefuseReasons)[number];

/**
 * Control messages for file transfer: offers, consent, progress, completion, cancel. The bytes travel
 * on LogicalChannel.files as chunks (codec/file-chunk.ts). Flow, per transfer (docs/files.md):
 *
 *   sender: file-offer -> receiver: file-accept | file-refuse
 *   sender: chunks (at most a window of bytes beyond the last file-ack) -> receiver: file-ack{offset} as it writes
 *   sender: file-complete{sha256} -> receiver: file-verified{sha256} (hash equal, final name given) | file-cancel{hash-mismatch}
 *   either side, any time before the end: file-cancel{reason}
 *   receiver, on a gap in the chunks: file-resume{from} (the sender goes on from there)
 */
export const fileMessages = [
  z.strictObject({
    type: z.literal('file-offer'),
    transferId,
    /** the sender's name for the file; the receiver makes it safe (files/safe-name.ts) before any use */
    name: z.string().min(0).max(1024),
    size: offset,
    mime: z.string().max(255).optional(),
    from: z.enum(['customer', 'technician']),
  }),
  z.strictObject({ type: z.literal('file-accept'), transferId }),
  z.strictObject({ type: z.literal('file-refuse'), transferId, reason: z.enum(fileRefuseReasons) }),
  /** The technician asks the customer for a file; the customer decides what (if anything) to send. */
  z.strictObject({ type: z.literal('file-request'), message: z.string().max(1000) }),
  /** Receiver -> sender: every byte below `offset` is written and hashed (progress and backpressure). */
  z.strictObject({ type: z.literal('file-ack'), transferId, offset }),
  /** Sender -> receiver: all chunks are sent; the SHA-256 of the whole file. */
  z.strictObject({ type: z.literal('file-complete'), transferId, sha256: sha256Hex }),
  /** Receiver -> sender: the hash matched and the file has its final name. */
  z.strictObject({ type: z.literal('file-verified'), transferId, sha256: sha256Hex }),
  z.strictObject({ type: z.literal('file-cancel'), transferId, reason: fileCancelReasonSchema }),
  /** Receiver -> sender: chunks were missing; send again from `from` (never below the last file-ack). */
  z.strictObject({ type: z.literal('file-resume'), transferId, from: offset }),
] as const satisfies readonly z.ZodObject[];
