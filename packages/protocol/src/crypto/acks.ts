import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../errors.js';
import { ACK_TAG_BYTES, encodeAckSigned, encodeSyncSigned, type AckPayload, type SyncPayload } from '../codec/peer.js';
import { concatBytes, equalBytes } from './bytes.js';
import { DIRECTION_BYTE, type Direction } from './channel.js';
import type { Role } from './keys.js';
import { ackKey } from './resume.js';

/**
 * Authenticated acknowledgements. An endpoint tells its peer how many frames it has opened
 * (`next`, the sequence number it expects next) with
 *
 *   ACK  = 0x30 | u64 next | tag            after every ~32 frames or 50 ms of quiet
 *   SYNC = 0x31 | u32 path | u64 next | tag  first thing on a path the server re-established
 *
 * tag = HMAC-SHA-256(ack key of the sender's direction, direction byte ‖ type ‖ fields)[0..16].
 * The sender of the frames may forget a frame only when an authenticated ACK or SYNC says it arrived,
 * so a relay can neither forge nor alter one to make a sender drop data.
 */
export class AckAuthenticator {
  private constructor(
    private readonly sendKey: Uint8Array,
    private readonly sendDirection: Direction,
    private readonly receiveKey: Uint8Array,
    private readonly receiveDirection: Direction,
  ) {}

  /** `role`: the endpoint that sends its ACKs with this instance and checks its peer's. */
  static forRole(resume: Uint8Array, role: Role): AckAuthenticator {
    const own: Direction = role === 'technician' ? 't2c' : 'c2t';
    const peer: Direction = role === 'technician' ? 'c2t' : 't2c';
    return new AckAuthenticator(ackKey(resume, own), own, ackKey(resume, peer), peer);
  }

  ack(next: bigint): Uint8Array {
    const signed = encodeAckSigned(next);
    return concatBytes(signed, tag(this.sendKey, this.sendDirection, signed));
  }

  sync(path: number, next: bigint): Uint8Array {
    const signed = encodeSyncSigned(path, next);
    return concatBytes(signed, tag(this.sendKey, this.sendDirection, signed));
  }

  /** Throws ProtocolError `tampered` unless the peer made this ACK or SYNC. */
  check(payload: AckPayload | SyncPayload): void {
    if (!equalBytes(payload.tag, tag(this.receiveKey, this.receiveDirection, payload.signed))) {
      throw ProtocolError.tampered(`${payload.type} ${payload.next} failed authentication`);
    }
  }

  /** Overwrites both keys (at the end of the session). */
  wipe(): void {
    this.sendKey.fill(0);
    this.receiveKey.fill(0);
  }
}

function tag(key: Uint8Array, direction: Direction, signed: Uint8Array): Uint8Array {
  return hmac(sha256, key, concatBytes(Uint8Array.of(DIRECTION_BYTE[direction]), signed)).subarray(0, ACK_TAG_BYTES);
}
