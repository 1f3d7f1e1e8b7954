import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AuthError } from './errors.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** scrypt's cost, log2 N, for new hashes: 17 (128 MiB, ~0.5 s); PASSWORD_COST may lower it for tests only. */
export const DEFAULT_PASSWORD_COST = 17;
const BLOCK_SIZE = 8;
const PARALLEL = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Limits for parameters read from a stored hash, so a tampered row cannot make us allocate gigabytes.
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_PARALLEL = 4;

/** Throws AuthError.passwordPolicy() unless the password has 10 to 256 characters. */
export function checkPasswordPolicy(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw AuthError.passwordPolicy(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH);
  }
}

/** `$scrypt$ln=17,r=8,p=1$<b64 salt>$<b64 hash>` (PHC string format, unpadded base64). */
export async function hashPassword(password: string, logN = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { logN, r: BLOCK_SIZE, p: PARALLEL });
  return `$scrypt$ln=${logN},r=${BLOCK_SIZE},p=${PARALLEL}$${b64(salt)}$${b64(key)}`;
}

/** False for a wrong password and for a stored hash it cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(key, parsed.hash);
}

/** True for a readable hash made with weaker parameters than `logN`: rehash it at the next sign-in. */
export function needsRehash(stored: string, logN = DEFAULT_PASSWORD_COST): boolean {
  const parsed = parseHash(stored);
  return parsed !== undefined && (parsed.params.logN < logN || parsed.params.r < BLOCK_SIZE);
}

interface Params {
  logN: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, keyLength: number, { logN, r, p }: Params): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is below what ln=17,r=8 needs (128 MiB); allow twice the need.
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 2 * scryptMemory({ logN, r, p }) };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function scryptMemory({ logN, r }: Params): number {
  return 128 * 2 ** logN * r;
}

function parseHash(stored: string): { params: Params; salt: Buffer; hash: Buffer } | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!match) return undefined;
  const [, ln, r, p, salt, hash] = match;
  const params = { logN: Number(ln), r: Number(r), p: Number(p) };
  if (params.logN < 1 || params.r < 1 || params.p < 1 || params.p > MAX_PARALLEL) return undefined;
  if (scryptMemory(params) > MAX_MEMORY_BYTES) return undefined;
  const saltBytes = Buffer.from(salt ?? '', 'base64');
  const hashBytes = Buffer.from(hash ?? '', 'base64');
  if (saltBytes.length < 8 || hashBytes.length < 16 || hashBytes.length > 64) return undefined;
  return { params, salt: saltBytes, hash: hashBytes };
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
