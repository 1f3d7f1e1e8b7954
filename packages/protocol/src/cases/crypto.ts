import { fromHex, toHex, utf8 } from '../crypto/bytes.js';
import { FernhilfeError } from '../base-error.js';
import type { CaseCredentials } from './code.js';

const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>;

/**
 * PBKDF2-SHA256 iterations for a case secret (docs/cases.md: the server holds the description's
 * ciphertext and the join proof, so every guess of the 60-bit secret must cost this much).
 */
export const CASE_KDF_ITERATIONS = 600_000;
const IV_BYTES = 12;

export interface CaseKeys {
  /** AES-256-GCM key of the customer's description */
  descriptionKey: CryptoKey;
  /** 32 bytes in hex: what the customer shows the server to join the case (the server stores it from the technician) */
  joinProof: string;
}

export class CaseCryptoError extends FernhilfeError<'undecryptable'> {
  override readonly name = 'CaseCryptoError';
}

/** The description key and join proof from the secret, salted with the case ID (slow on purpose). */
export async function deriveCaseKeys({ caseId, secret }: CaseCredentials): Promise<CaseKeys> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', buf(utf8(secret)), 'PBKDF2', false, ['deriveBits']);
  const salt = buf(utf8(`fernhilfe case v1:${caseId}`));
  const bits = new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: CASE_KDF_ITERATIONS }, base, 512));
  const descriptionKey = await subtle.importKey('raw', bits.slice(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const joinProof = toHex(bits.slice(32));
  bits.fill(0);
  return { descriptionKey, joinProof };
}

/** The description as hex of IV || AES-GCM ciphertext, the case ID as associated data. */
export async function encryptCaseDescription(keys: CaseKeys, caseId: string, text: string): Promise<string> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: buf(utf8(caseId)) }, keys.descriptionKey, buf(utf8(text))));
  return toHex(iv) + toHex(sealed);
}

/** The description, or CaseCryptoError when the key is wrong or the ciphertext was changed. */
export async function decryptCaseDescription(keys: CaseKeys, caseId: string, sealedHex: string): Promise<string> {
  try {
    const bytes = fromHex(sealedHex);
    const plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: buf(bytes.slice(0, IV_BYTES)), additionalData: buf(utf8(caseId)) }, keys.descriptionKey, buf(bytes.slice(IV_BYTES)));
    return new TextDecoder().decode(plain);
  } catch (err) {
    throw new CaseCryptoError('undecryptable', 'the description cannot be opened with this code', { cause: err });
  }
}
