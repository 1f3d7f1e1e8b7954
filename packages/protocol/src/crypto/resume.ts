import { ed25519 } from '@noble/curves/ed25519.js';
import { PROTOCOL_LABEL } from '../version.js';
import { lvCat, utf8 } from './bytes.js';
import { derive, type Role } from './keys.js';
import type { Direction } from './channel.js';

/**
 * Keys for surviving a dropped connection, all derived from the session's `resume` secret (itself
 * from the CPace ISK, never the password), so they exist only for this session:
 *
 * - per role an Ed25519 seed (`resume signing technician` / `resume signing customer`); the endpoint
 *   gives the server only the public key, and proves a reconnect by signing the server's fresh
 *   challenge. The server holds nothing secret, and a captured proof answers no other challenge.
 * - per direction an HMAC key (`ack technician->customer` / `ack customer->technician`) that
 *   authenticates ACK and SYNC, so a relay cannot make a sender forget frames it still needs.
 *
 * HKDF-SHA-512 as in the key schedule, with the `resume` secret as input keying material and no salt.
 */
const NO_SALT = new Uint8Array(0);
const PROOF_LABEL = utf8(`${PROTOCOL_LABEL} resume`);

/** The Ed25519 seed (the private key) of one role. Never leaves the endpoint, never logged. */
export function resumeSigningSeed(resume: Uint8Array, role: Role): Uint8Array {
  return derive(resume, NO_SALT, `resume signing ${role}`, 32);
}

/** The HMAC-SHA-256 key for acknowledgements sent in one direction. */
export function ackKey(resume: Uint8Array, direction: Direction): Uint8Array {
  return derive(resume, NO_SALT, direction === 't2c' ? 'ack technician->customer' : 'ack customer->technician', 32);
}

export function resumePublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** What a resume proof signs: lv_cat("Fernhilfe v1 resume", role, customer ID, nonce). */
export function resumeProofMessage(role: Role, customerId: string, nonce: Uint8Array): Uint8Array {
  return lvCat(PROOF_LABEL, utf8(role), utf8(customerId), nonce);
}

export function signResumeProof(seed: Uint8Array, role: Role, customerId: string, nonce: Uint8Array): Uint8Array {
  return ed25519.sign(resumeProofMessage(role, customerId, nonce), seed);
}

/** Strict RFC 8032 verification (no ZIP-215 leniency); false for anything malformed. */
export function verifyResumeProof(publicKey: Uint8Array, signature: Uint8Array, role: Role, customerId: string, nonce: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, resumeProofMessage(role, customerId, nonce), publicKey, { zip215: false });
  } catch {
    return false;
  }
}
