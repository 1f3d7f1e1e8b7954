import { ProtocolError } from '../errors.js';
import { fromHex, toHex } from '../crypto/bytes.js';
import type { Result } from '../messages/common.js';

/**
 * One chunk of a file on LogicalChannel.files (inside the encrypted channel):
 *
 *   u8 version (1) | u8 id length n (8..16) | n bytes transfer id | u64 offset (big-endian, ≤ 2^53-1) | bytes (≥ 1)
 *
 * The transfer id is the `transferId` of the control messages (hex there, raw bytes here).
 */
export interface FileChunk {
  transferId: string;
  offset: number;
  bytes: Uint8Array;
}

export const FILE_CHUNK_VERSION = 1;
export const fileChunkHeaderLength = (transferId: string): number => 2 + transferId.length / 2 + 8;

export function encodeFileChunk(c: FileChunk): Uint8Array {
  const id = fromHex(c.transferId);
  if (id.length < 8 || id.length > 16) throw new RangeError('transfer id must be 8-16 bytes');
  if (!Number.isSafeInteger(c.offset) || c.offset < 0) throw new RangeError('offset must be a safe non-negative integer');
  const head = 2 + id.length + 8;
  const out = new Uint8Array(head + c.bytes.length);
  const view = new DataView(out.buffer);
  out[0] = FILE_CHUNK_VERSION;
  out[1] = id.length;
  out.set(id, 2);
  view.setBigUint64(2 + id.length, BigInt(c.offset));
  out.set(c.bytes, head);
  return out;
}

/**
 * A chunk frame with its header written and room for `length` bytes of data: the sender reads the
 * file straight into `data` (no second copy of the bytes) and sends `frame`.
 */
export function allocFileChunk(transferId: string, offset: number, length: number): { frame: Uint8Array; data: Uint8Array } {
  const id = fromHex(transferId);
  if (id.length < 8 || id.length > 16) throw new RangeError('transfer id must be 8-16 bytes');
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError('offset must be a safe non-negative integer');
  if (!Number.isSafeInteger(length) || length < 1) throw new RangeError('a chunk carries at least one byte');
  const head = 2 + id.length + 8;
  const frame = new Uint8Array(head + length);
  frame[0] = FILE_CHUNK_VERSION;
  frame[1] = id.length;
  frame.set(id, 2);
  new DataView(frame.buffer).setBigUint64(2 + id.length, BigInt(offset));
  return { frame, data: frame.subarray(head) };
}

/** Never throws: a malformed chunk is a `malformed` ProtocolError in the result. */
export function decodeFileChunk(bytes: Uint8Array): Result<FileChunk> {
  const bad = (detail: string): Result<FileChunk> => ({ ok: false, error: ProtocolError.malformed(`file chunk: ${detail}`) });
  if (bytes.length < 2) return bad('too short');
  if (bytes[0] !== FILE_CHUNK_VERSION) return bad('unknown version');
  const n = bytes[1]!;
  if (n < 8 || n > 16) return bad('bad transfer id length');
  const head = 2 + n + 8;
  if (bytes.length <= head) return bad('no data');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = view.getBigUint64(2 + n);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return bad('offset out of range');
  return { ok: true, value: { transferId: toHex(bytes.subarray(2, 2 + n)), offset: Number(offset), bytes: bytes.subarray(head) } };
}
