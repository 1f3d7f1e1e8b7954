import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { FernhilfeError } from '@fernhilfe/protocol';

/** Raised for a key that is not a readable Ed25519 key (and, in signature.ts, for a malformed signature file). */
export class SignatureError extends FernhilfeError<'malformed' | 'wrong-key' | 'bad-signature' | 'bad-key'> {
  override readonly name = 'SignatureError';
  static malformed(detail: string) {
    return new SignatureError('malformed', `not a Fernhilfe signature file: ${detail}`);
  }
  static badKey(detail: string) {
    return new SignatureError('bad-key', `not an Ed25519 key: ${detail}`);
  }
}

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The raw 32 bytes of an Ed25519 public key (or of the public half of a private key). */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const spki = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw SignatureError.badKey(`a public key has 32 bytes, not ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** A public key as the operator publishes it: PEM (SPKI), 64 hex digits, or base64 of the 32 raw bytes. */
export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPublicKey(t);
    } catch {
      throw SignatureError.badKey('the PEM text is not a public key');
    }
    if (key.asymmetricKeyType !== 'ed25519') throw SignatureError.badKey(`the PEM key is ${key.asymmetricKeyType ?? 'unknown'}`);
    return key;
  }
  if (/^[0-9a-fA-F]{64}$/.test(t)) return publicKeyFromRaw(Buffer.from(t, 'hex'));
  if (/^[A-Za-z0-9+/]{43}=$/.test(t)) return publicKeyFromRaw(Buffer.from(t, 'base64'));
  throw SignatureError.badKey('expected PEM, 64 hex digits or 44 base64 characters');
}

/** The operator's signing key: a PKCS#8 PEM file, or a file holding the 32-byte seed as 64 hex digits. */
export function parseSigningKey(text: string): KeyObject {
  const t = text.trim();
  let key: KeyObject;
  try {
    if (t.startsWith('-----BEGIN')) key = createPrivateKey(t);
    else if (/^[0-9a-fA-F]{64}$/.test(t)) key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.from(t, 'hex')]), format: 'der', type: 'pkcs8' });
    else throw SignatureError.badKey('expected a PKCS#8 PEM private key or a 64-hex-digit seed');
  } catch (err) {
    if (err instanceof SignatureError) throw err;
    throw SignatureError.badKey('the file is not a readable private key (an encrypted PEM is not supported)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw SignatureError.badKey(`the private key is ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

/** Short, stable name of a public key: the first 8 bytes of SHA-256 over its raw bytes, in hex. */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('hex').slice(0, 16);
}

