import { ProtocolError } from '../errors.js';

/**
 * End-to-end payloads carried in PEER frames. The server never parses these; only the endpoints do.
 *
 *   u8 type = HANDSHAKE | u8 step | data                    (CPace messages and key confirmation, public values)
 *   u8 type = SEALED    | u64 seq | ciphertext              (AES-256-GCM, see ../crypto/channel.ts)
 *   u8 type = ACK       | u64 next | tag16                  (frames received so far, see ../crypto/acks.ts)
 *   u8 type = SYNC      | u32 path | u64 next | tag16       (the first word after a resume, for one path)
 */
export const PeerType = { handshake: 0x10, sealed: 0x20, ack: 0x30, sync: 0x31 } as const;

/** Handshake steps, in the order they are sent. */
export const HandshakeStep = {
  /** technician -> customer: CPace MSGa */
  initiator: 1,
  /** customer -> technician: CPace MSGb */
  responder: 2,
  /** technician -> customer: technician's key confirmation tag */
  confirmTechnician: 3,
  /** customer -> technician: customer's key confirmation tag (only after the technician's verified) */
  confirmCustomer: 4,
} as const;
export type HandshakeStep = (typeof HandshakeStep)[keyof typeof HandshakeStep];

/** `signed`: the bytes the tag covers (everything before it). */
export type AckPayload = { type: 'ack'; next: bigint; signed: Uint8Array; tag: Uint8Array };
export type SyncPayload = { type: 'sync'; path: number; next: bigint; signed: Uint8Array; tag: Uint8Array };

export type PeerPayload =
  | { type: 'handshake'; step: HandshakeStep; data: Uint8Array }
  | { type: 'sealed'; seq: bigint; ciphertext: Uint8Array; header: Uint8Array }
  | AckPayload
  | SyncPayload;

export const SEALED_HEADER = 9;
const MAX_HANDSHAKE_DATA = 256;
/** Length of the authentication tag of ACK and SYNC. */
export const ACK_TAG_BYTES = 16;
const ACK_SIGNED = 9;
const SYNC_SIGNED = 13;

export function encodeHandshake(step: HandshakeStep, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + data.length);
  out[0] = PeerType.handshake;
  out[1] = step;
  out.set(data, 2);
  return out;
}

export function encodeSealedHeader(seq: bigint): Uint8Array {
  const header = new Uint8Array(SEALED_HEADER);
  header[0] = PeerType.sealed;
  new DataView(header.buffer).setBigUint64(1, seq);
  return header;
}

/** The part of an ACK that its tag covers: type | u64 next. */
export function encodeAckSigned(next: bigint): Uint8Array {
  const out = new Uint8Array(ACK_SIGNED);
  out[0] = PeerType.ack;
  new DataView(out.buffer).setBigUint64(1, next);
  return out;
}

/** The part of a SYNC that its tag covers: type | u32 path | u64 next. */
export function encodeSyncSigned(path: number, next: bigint): Uint8Array {
  const out = new Uint8Array(SYNC_SIGNED);
  const view = new DataView(out.buffer);
  out[0] = PeerType.sync;
  view.setUint32(1, path);
  view.setBigUint64(5, next);
  return out;
}

export function decodePeerPayload(bytes: Uint8Array): PeerPayload {
  const type = bytes[0];
  if (type === PeerType.handshake) {
    const step = bytes[1];
    if (bytes.length < 2 || step === undefined || step < 1 || step > 4) {
      throw ProtocolError.malformed('bad handshake step');
    }
    if (bytes.length - 2 > MAX_HANDSHAKE_DATA) throw ProtocolError.tooLarge(bytes.length, MAX_HANDSHAKE_DATA);
    return { type: 'handshake', step: step as HandshakeStep, data: bytes.subarray(2) };
  }
  if (type === PeerType.sealed) {
    if (bytes.length < SEALED_HEADER + 16) throw ProtocolError.malformed('sealed frame too short');
    const header = bytes.subarray(0, SEALED_HEADER);
    const seq = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(1);
    return { type: 'sealed', seq, header, ciphertext: bytes.subarray(SEALED_HEADER) };
  }
  if (type === PeerType.ack || type === PeerType.sync) {
    const signedLength = type === PeerType.ack ? ACK_SIGNED : SYNC_SIGNED;
    if (bytes.length !== signedLength + ACK_TAG_BYTES) throw ProtocolError.malformed(`${type === PeerType.ack ? 'ack' : 'sync'} of ${bytes.length} bytes`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const signed = bytes.subarray(0, signedLength);
    const tag = bytes.subarray(signedLength);
    if (type === PeerType.ack) return { type: 'ack', next: view.getBigUint64(1), signed, tag };
    return { type: 'sync', path: view.getUint32(1), next: view.getBigUint64(5), signed, tag };
  }
  throw ProtocolError.malformed(`unknown peer payload type ${String(type)}`);
}
