/**
 * One-time credentials. The ID is chosen by the server; the password by the customer endpoint, and
 * it never leaves that endpoint. Both come from the platform CSPRNG (crypto.getRandomValues).
 */

/** Phone-readable: no 0/o, 1/l/i look-alikes; compared case-insensitively. */
export const PASSWORD_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
export const PASSWORD_LENGTH = 7; // 31^7 ≈ 2^34.7

/** Uniform integer in [0, n) by rejection sampling. */
export function randomInt(n: number): number {
  if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError('bad bound');
  const limit = Math.floor(2 ** 32 / n) * n;
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < limit) return buf[0]! % n;
  }
}

export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < PASSWORD_LENGTH; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/** What a person typed -> the canonical password (lower case, no spaces or dashes). */
export function normalizePassword(input: string): string {
  return input.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '');
}

export function randomNonce(bytes = 16): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(bytes));
}

/** A random nine-digit ID, first digit not zero. */
export function randomCustomerId(): string {
  return String(100_000_000 + randomInt(900_000_000));
}
