import { ProtocolError } from '../errors.js';

/**
 * End-to-end payloads carried in PEER frames. The server never parses these; only the endpoints do.
 *
 *   u8 type = HANDSHAKE | u8 step | data          (CPace messages and key confirmation, public values)
 *   u8 type = SEALED    | u64 seq | ciphertext    (AES-256-GCM, see ../crypto/channel.ts)
 */
export const PeerType = { handshake: 0x10, sealed: 0x20 } as const;

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

export type PeerPayload =
  | { type: 'handshake'; step: HandshakeStep; data: Uint8Array }
  | { type: 'sealed'; seq: bigint; ciphertext: Uint8Array; header: Uint8Array };

export const SEALED_HEADER = 9;
const MAX_HANDSHAKE_DATA = 256;

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
  throw ProtocolError.malformed(`unknown peer payload type ${String(type)}`);
}
