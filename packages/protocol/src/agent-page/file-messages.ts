import '../messages/zod-config.js';
import { z } from 'zod';
import { transferIdSchema } from '../messages/audit.js';

/**
 * File transfer on the agent's local WebSocket (docs/files.md, "The native agent's page"). The agent
 * runs the transfers (FileFeature) and sends the page a `files` view; the page sends the customer's
 * clicks. "Send a file" in agent mode writes nothing to disk: the page keeps the picked File, the
 * agent asks for one piece at a time (`file-read`), and the page answers with a binary frame
 * `u32 read (big-endian) | bytes` of exactly that piece (File.slice). Pure: zod only (the page imports it).
 */

/** The largest piece the agent asks the page for (a chunk; the session's frames are at most 1 MiB). */
export const MAX_PAGE_READ = 1024 * 1024;
/** Bytes before the data in a page's binary answer: the read number. */
export const PAGE_READ_HEADER = 4;

const states = ['offered', 'sending', 'receiving', 'verifying', 'completed', 'refused', 'cancelled', 'failed'] as const;
const failures = [
  'refused',
  'cancelled-by-customer',
  'cancelled-by-technician',
  'hash-mismatch',
  'write-failed',
  'read-failed',
  'too-large',
  'not-allowed',
  'session-ended',
  'protocol-error',
] as const;
const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const transferInfoSchema = z.strictObject({
  transferId: transferIdSchema,
  direction: z.enum(['to-customer', 'to-technician']),
  outgoing: z.boolean(),
  name: z.string().max(1024),
  size: bytes,
  mime: z.string().max(255).optional(),
  state: z.enum(states),
  transferred: bytes,
  sentBytes: bytes,
  bytesPerSecond: z.number().nonnegative(),
  secondsLeft: z.number().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  reason: z.enum(failures).optional(),
});

/** Why "Send a file" did not start (the operator's policy, or the page could not give the bytes). */
export const sendProblemSchema = z.enum(['too-large', 'not-allowed']);
export type SendProblem = z.infer<typeof sendProblemSchema>;

export const filesViewSchema = z.strictObject({
  /** where accepted files are saved (the Downloads folder) */
  folder: z.string().max(4096),
  /** the operator's policy lets the customer send files */
  maySend: z.boolean(),
  transfers: z.array(transferInfoSchema).max(1000),
  /** offers waiting for Accept / Refuse, oldest first */
  offers: z.array(transferInfoSchema).max(1000),
  /** the technician's latest "please send me a file" message */
  request: z.string().max(1000).optional(),
  problem: sendProblemSchema.optional(),
});
export type FilesView = z.infer<typeof filesViewSchema>;

const sourceId = z.number().int().nonnegative().max(2 ** 31);

/** agent -> page */
export const filesToPage = [
  z.strictObject({ type: z.literal('files'), files: filesViewSchema }),
  /** give me `length` bytes of picked file `source` from `offset` (answer: binary `read | bytes`) */
  z.strictObject({ type: z.literal('file-read'), source: sourceId, read: z.number().int().nonnegative().max(2 ** 32 - 1), offset: bytes, length: z.number().int().min(1).max(MAX_PAGE_READ) }),
  /** the agent is done with picked file `source` (the page may forget the File) */
  z.strictObject({ type: z.literal('file-release'), source: sourceId }),
] as const;

/** page -> agent */
export const filesFromPage = [
  z.strictObject({ type: z.literal('file-accept'), transferId: transferIdSchema }),
  z.strictObject({ type: z.literal('file-refuse'), transferId: transferIdSchema }),
  z.strictObject({ type: z.literal('file-cancel'), transferId: transferIdSchema }),
  /** the customer picked a file to send; the page keeps it and answers the agent's reads */
  z.strictObject({ type: z.literal('file-send'), source: sourceId, name: z.string().max(1024), size: bytes, mime: z.string().max(255).optional() }),
] as const;

/** The page's binary answer to a `file-read`. */
export function encodePageRead(read: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(PAGE_READ_HEADER + data.length);
  new DataView(out.buffer).setUint32(0, read);
  out.set(data, PAGE_READ_HEADER);
  return out;
}

/** Never throws; undefined for a frame too short to carry a read number. */
export function decodePageRead(frame: Uint8Array): { read: number; data: Uint8Array } | undefined {
  if (frame.length < PAGE_READ_HEADER) return undefined;
  return { read: new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0), data: frame.subarray(PAGE_READ_HEADER) };
}
