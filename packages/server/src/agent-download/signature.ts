import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * The detached signature of a QuickSupport agent build (docs/agent-build.md).
 *
 * A small UTF-8 text file, one `name: value` per line after the first line:
 *
 *   fernhilfe-signature-v1
 *   algorithm: ed25519
 *   signed: file-bytes
 *   file: fernhilfe-quicksupport-linux-x64
 *   size: 86641408
 *   sha256: <64 hex>
 *   key-id: <16 hex: the first 8 bytes of SHA-256 over the raw 32-byte public key>
 *   public-key: <base64 of the raw 32-byte Ed25519 public key>
 *   signature: <base64 of the 64-byte Ed25519 signature>
 *
 * The signature is plain Ed25519 (RFC 8032, no pre-hash) over the file's bytes exactly, so
 * `openssl pkeyutl -verify -rawin` checks it too. Only the file bytes are signed: `file`, `size`
 * and `sha256` are hints that let a checker say *why* a file does not match; `public-key` says who
 * signed it, which means nothing until it is compared with a key the checker trusts.
 */
export const SIGNATURE_FORMAT = 'fernhilfe-signature-v1';

export type SignatureFailure =
  /** not a signature file of this format */
  | 'malformed'
  /** made with another key than the one trusted */
  | 'wrong-key'
  /** the bytes are not what was signed (changed, truncated, or another file) */
  | 'bad-signature';

export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(
    readonly reason: SignatureFailure | 'bad-key',
    message: string,
  ) {
    super(message);
  }
  static malformed(detail: string) {
    return new SignatureError('malformed', `not a Fernhilfe signature file: ${detail}`);
  }
  static badKey(detail: string) {
    return new SignatureError('bad-key', `not an Ed25519 key: ${detail}`);
  }
}

const b64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((s) => Buffer.from(s, 'base64').length === bytes, `must be ${bytes} bytes`);

const fieldsSchema = z.strictObject({
  algorithm: z.literal('ed25519'),
  signed: z.literal('file-bytes'),
  file: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a plain file name'),
  size: z.string().regex(/^\d{1,15}$/, 'must be a byte count').transform(Number),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  'key-id': z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits'),
  'public-key': b64(32),
  signature: b64(64),
});

export interface AgentSignature {
  file: string;
  size: number;
  sha256: string;
  keyId: string;
  /** raw 32-byte Ed25519 public key of the signer (not trusted by itself) */
  publicKey: Uint8Array;
  signature: Uint8Array;
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

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function signAgent(bytes: Uint8Array, fileName: string, privateKey: KeyObject): AgentSignature {
  return {
    file: fileName,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    keyId: keyIdOf(privateKey),
    publicKey: rawPublicKey(privateKey),
    signature: new Uint8Array(sign(null, bytes, privateKey)),
  };
}

export function formatSignature(s: AgentSignature): string {
  const b = (u: Uint8Array) => Buffer.from(u).toString('base64');
  return [
    SIGNATURE_FORMAT,
    'algorithm: ed25519',
    'signed: file-bytes',
    `file: ${s.file}`,
    `size: ${s.size}`,
    `sha256: ${s.sha256}`,
    `key-id: ${s.keyId}`,
    `public-key: ${b(s.publicKey)}`,
    `signature: ${b(s.signature)}`,
    '',
  ].join('\n');
}

/** Parses a signature file; throws SignatureError('malformed') naming what is wrong. */
export function parseSignature(text: string): AgentSignature {
  if (text.length > 4096) throw SignatureError.malformed('too long');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== SIGNATURE_FORMAT) throw SignatureError.malformed(`the first line must be "${SIGNATURE_FORMAT}"`);
  const fields: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const m = /^([a-z0-9-]+):\s*(.*?)\s*$/.exec(line);
    if (!m) throw SignatureError.malformed(`unreadable line "${line.slice(0, 40)}"`);
    if (m[1]! in fields) throw SignatureError.malformed(`"${m[1]}" appears twice`);
    fields[m[1]!] = m[2]!;
  }
  const parsed = fieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw SignatureError.malformed(`${issue?.path.join('.') || 'fields'}: ${issue?.message ?? 'invalid'}`);
  }
  const f = parsed.data;
  const publicKey = new Uint8Array(Buffer.from(f['public-key'], 'base64'));
  if (keyIdOf(publicKeyFromRaw(publicKey)) !== f['key-id']) throw SignatureError.malformed('key-id does not belong to public-key');
  return { file: f.file, size: f.size, sha256: f.sha256, keyId: f['key-id'], publicKey, signature: new Uint8Array(Buffer.from(f.signature, 'base64')) };
}

export type VerifyResult = { ok: true; keyId: string } | { ok: false; reason: SignatureFailure; message: string };

/**
 * Checks `bytes` against a parsed signature and the key the checker trusts. The key inside the
 * signature file is only compared with the trusted one, never trusted itself.
 */
export function verifyAgent(bytes: Uint8Array, sig: AgentSignature, trusted: KeyObject): VerifyResult {
  const trustedId = keyIdOf(trusted);
  if (sig.keyId !== trustedId) {
    return { ok: false, reason: 'wrong-key', message: `the file was signed with key ${sig.keyId}, not with the trusted key ${trustedId}` };
  }
  if (!verify(null, bytes, trusted, sig.signature)) {
    const why =
      bytes.length !== sig.size
        ? `it has ${bytes.length} bytes, the signed file had ${sig.size}`
        : sha256Hex(bytes) !== sig.sha256
          ? 'its content differs from the signed file'
          : 'the signature does not match';
    return { ok: false, reason: 'bad-signature', message: `the file is not the one that was signed: ${why}` };
  }
  return { ok: true, keyId: trustedId };
}
