import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { rawPublicKeyB64 } from '../keys/server-keys.js';

/**
 * The server's Ed25519 receipt key. It lives in the server key file outside the database
 * (keys/server-keys.ts; every node has the same file), never in the database. The private key
 * never leaves the server; the public key is published at GET /receipt/public-key.
 */
export class ReceiptKeys {
  /** raw 32-byte public key, base64url */
  readonly publicKey: string;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = rawPublicKeyB64(privateKey);
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64url');
  }

  /** Whether `signature` (base64url) is this key's signature over `message`. */
  verify(message: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64 || bytes.toString('base64url') !== signature) return false;
    return verify(null, Buffer.from(message, 'utf8'), createPublicKey(this.privateKey), bytes);
  }
}
