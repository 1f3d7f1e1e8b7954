import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyIdOf, publicKeyFromRaw, rawPublicKey, SignatureError } from './signing-keys.js';

export * from './signing-keys.js';

/**
 * The detached signature of a QuickSupport agent build (docs/agent-build.md).
 *
 * A small UTF-8 text file, one `name: value` per line after the first line:
 *
 *   fernhilfe-signature-v2
 *   file: fernhilfe-quicksupport-linux-x64
 *   version: 0.1.0
 *   built: 2026-12-06T22:00:00.000Z
 *   size: 86641408
 *   sha256: <64 hex>
 *   key-id: <16 hex: the first 8 bytes of SHA-256 over the raw 32-byte public key>
 *   public-key: <base64 of the raw 32-byte Ed25519 public key>
 *   signature: <base64 of the 64-byte Ed25519 signature>
 *
 * What is signed (plain Ed25519, RFC 8032) is the **statement**: the first six lines exactly as
 * above, each ending in "\n". It binds the file's SHA-256 and size to a version and build time, so
 * an older signed build cannot pass for the newest one (the server refuses to go back; `fernhilfe
 * verify` names the version). `key-id` and `public-key` say who signed, which means nothing until
 * compared with a key the checker trusts.
 */
export const SIGNATURE_FORMAT = 'fernhilfe-signature-v2';

export type SignatureFailure =
  /** not a signature file of this format */
  | 'malformed'
  /** made with another key than the one trusted */
  | 'wrong-key'
  /** the statement was not signed by the trusted key, or the bytes are not what it names */
  | 'bad-signature';

const b64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((s) => Buffer.from(s, 'base64').length === bytes, `must be ${bytes} bytes`);

const fieldsSchema = z.strictObject({
  file: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a plain file name'),
  version: z.string().regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/, 'must be a version like 1.2.3'),
  built: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'must be an ISO 8601 UTC time'),
  size: z.string().regex(/^\d{1,15}$/, 'must be a byte count').transform(Number),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  'key-id': z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits'),
  'public-key': b64(32),
  signature: b64(64),
});
const FIELD_ORDER = Object.keys(fieldsSchema.shape);

/** Which build it is: a version, and the build time within a version. */
export interface BuildRelease {
  version: string;
  /** ISO 8601 UTC, milliseconds */
  built: string;
}

export interface AgentSignature extends BuildRelease {
  file: string;
  size: number;
  sha256: string;
  keyId: string;
  /** raw 32-byte Ed25519 public key of the signer (not trusted by itself) */
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/** The signed text: the format line and the five facts, one per line, each ending in "\n". */
export function statementOf(s: Pick<AgentSignature, 'file' | 'version' | 'built' | 'size' | 'sha256'>): string {
  return [SIGNATURE_FORMAT, `file: ${s.file}`, `version: ${s.version}`, `built: ${s.built}`, `size: ${s.size}`, `sha256: ${s.sha256}`, ''].join('\n');
}

/** Negative when `a` is an older release than `b`, 0 when the same, positive when newer. */
export function compareReleases(a: BuildRelease, b: BuildRelease): number {
  const pa = a.version.split('.').map(Number);
  const pb = b.version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.built < b.built ? -1 : a.built > b.built ? 1 : 0;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function signAgent(bytes: Uint8Array, fileName: string, privateKey: KeyObject, release: BuildRelease): AgentSignature {
  const facts = { file: fileName, ...release, size: bytes.length, sha256: sha256Hex(bytes) };
  fieldsSchema.pick({ version: true, built: true }).parse(release);
  return {
    ...facts,
    keyId: keyIdOf(privateKey),
    publicKey: rawPublicKey(privateKey),
    signature: new Uint8Array(sign(null, Buffer.from(statementOf(facts), 'utf8'), privateKey)),
  };
}

export function formatSignature(s: AgentSignature): string {
  const b = (u: Uint8Array) => Buffer.from(u).toString('base64');
  return `${statementOf(s)}key-id: ${s.keyId}\npublic-key: ${b(s.publicKey)}\nsignature: ${b(s.signature)}\n`;
}

/** Parses a signature file; throws SignatureError('malformed') naming what is wrong. */
export function parseSignature(text: string): AgentSignature {
  if (text.length > 4096) throw SignatureError.malformed('too long');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = lines[0]?.trim();
  if (first === 'fernhilfe-signature-v1') throw SignatureError.malformed('it is the old format v1, which carries no version: sign the build again with `npm run build:agent`');
  if (first !== SIGNATURE_FORMAT) throw SignatureError.malformed(`the first line must be "${SIGNATURE_FORMAT}"`);
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
  if (Object.keys(fields).join() !== FIELD_ORDER.join()) throw SignatureError.malformed(`the lines must come in this order: ${FIELD_ORDER.join(', ')}`);
  const f = parsed.data;
  const publicKey = new Uint8Array(Buffer.from(f['public-key'], 'base64'));
  if (keyIdOf(publicKeyFromRaw(publicKey)) !== f['key-id']) throw SignatureError.malformed('key-id does not belong to public-key');
  const { file, version, built, size, sha256 } = f;
  return { file, version, built, size, sha256, keyId: f['key-id'], publicKey, signature: new Uint8Array(Buffer.from(f.signature, 'base64')) };
}

export type VerifyResult = ({ ok: true; keyId: string } & BuildRelease) | { ok: false; reason: SignatureFailure; message: string };

/**
 * Whether the trusted key signed this statement (file name, version, build time, size, SHA-256).
 * Says nothing about any bytes yet: check them with `matchesStatement` (or `verifyAgent`). The key
 * inside the signature file is only compared with the trusted one, never trusted itself.
 */
export function verifyStatement(sig: AgentSignature, trusted: KeyObject): VerifyResult {
  const trustedId = keyIdOf(trusted);
  if (sig.keyId !== trustedId) {
    return { ok: false, reason: 'wrong-key', message: `the file was signed with key ${sig.keyId}, not with the trusted key ${trustedId}` };
  }
  if (!verify(null, Buffer.from(statementOf(sig), 'utf8'), trusted, sig.signature)) {
    return { ok: false, reason: 'bad-signature', message: 'the signature file was changed after signing (its signature does not match its lines)' };
  }
  return { ok: true, keyId: trustedId, version: sig.version, built: sig.built };
}

/** Undefined when `size` and `sha256` are the signed ones, else why not (for "the file is not the one that was signed: …"). */
export function mismatch(sig: Pick<AgentSignature, 'size' | 'sha256'>, size: number, sha256: string): string | undefined {
  if (size !== sig.size) return `it has ${size} bytes, the signed file had ${sig.size}`;
  if (sha256 !== sig.sha256) return 'its content differs from the signed file';
  return undefined;
}

/** Checks `bytes` against a parsed signature and the key the checker trusts. */
export function verifyAgent(bytes: Uint8Array, sig: AgentSignature, trusted: KeyObject): VerifyResult {
  const statement = verifyStatement(sig, trusted);
  if (!statement.ok) return statement;
  const why = mismatch(sig, bytes.length, sha256Hex(bytes));
  if (why) return { ok: false, reason: 'bad-signature', message: `the file is not the one that was signed: ${why}` };
  return statement;
}
