import './zod-config.js';
import { z } from 'zod';
import { ProtocolError, endReasons } from '../errors.js';

/** A customer ID: nine digits, the first not zero. People see it as "123 456 789". */
export const customerIdSchema = z.string().regex(/^[1-9]\d{8}$/, 'an ID is nine digits');
export const hexNonceSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a nonce is 16 bytes in hex');
export const termsVersionSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a terms version is a SHA-256 in hex');
export const endReasonSchema = z.enum(endReasons);
/** Resuming a session after a dropped connection (docs/protocol.md §8): public values only. */
export const resumePublicKeySchema = z.string().regex(/^[0-9a-f]{64}$/, 'a resume key is 32 bytes in hex');
export const resumeChallengeSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a resume challenge is 32 bytes in hex');
export const resumeSignatureSchema = z.string().regex(/^[0-9a-f]{128}$/, 'a resume proof is 64 bytes in hex');
/** Numbers the paths the server re-established between the two endpoints of one session. */
export const resumePathSchema = z.number().int().min(1).max(0x7fffffff);
export const languageSchema = z.enum(['de', 'en']);
export const capabilitySchema = z.enum(['screen', 'control', 'chat', 'files', 'clipboard']);
export type Capability = z.infer<typeof capabilitySchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();

/** Parses UTF-8 JSON bytes against a schema; never throws. */
export function decodeJson<T>(schema: z.ZodType<T>, bytes: Uint8Array): Result<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(textDecoder.decode(bytes));
  } catch {
    return { ok: false, error: ProtocolError.malformed('not UTF-8 JSON') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // name the place, never echo the input (key names and values are the sender's text)
    const what = issue?.code === 'unrecognized_keys' ? 'unknown key' : issue?.code === 'invalid_union' ? 'unknown message type' : (issue?.message ?? 'invalid message');
    const where = issue?.path.length ? ` at ${issue.path.filter((p) => typeof p === 'number' || /^[a-zA-Z]{1,32}$/.test(String(p))).join('.')}` : '';
    return { ok: false, error: ProtocolError.malformed(`${what}${where}`.slice(0, 200)) };
  }
  return { ok: true, value: parsed.data };
}

export function encodeJson(value: unknown): Uint8Array {
  return textEncoder.encode(JSON.stringify(value));
}

/** "123456789" -> "123 456 789" */
export function formatCustomerId(id: string): string {
  return id.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}

/** What a person typed ("123 456-789") -> "123456789", or undefined when it is not an ID. */
export function parseCustomerId(input: string): string | undefined {
  const digits = input.replace(/[\s\-.]/g, '');
  return customerIdSchema.safeParse(digits).success ? digits : undefined;
}
