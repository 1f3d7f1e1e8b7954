import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../crypto/bytes.js';

/** Incremental SHA-256 (WebCrypto has no streaming digest): update() per chunk, hex() once at the end. */
export interface StreamingHash {
  update(bytes: Uint8Array): void;
  /** the digest as 64 lowercase hex digits; the hash cannot be updated afterwards */
  hex(): string;
}

export function createSha256(): StreamingHash {
  const h = sha256.create();
  return {
    update: (bytes) => void h.update(bytes),
    hex: () => toHex(h.digest()),
  };
}

/** A random transfer id: 16 bytes, hex (crypto.getRandomValues exists in Node 20 and browsers). */
export function newTransferId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
