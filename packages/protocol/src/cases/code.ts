import '../messages/zod-config.js';
import { z } from 'zod';

/**
 * A support case's credentials (docs/cases.md): a 6-character case ID the server knows and a
 * 12-character secret it never sees, both in Crockford's base32 (no I, L, O, U; each symbol 5 bits).
 * The secret's 60 bits are the PAKE password when the technician takes the case and, through a
 * slow KDF salted with the case ID, the key of the customer's description (crypto.ts).
 */
export const CASE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CASE_ID_LENGTH = 6;
export const CASE_SECRET_LENGTH = 12;

export const caseIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{6}$/, 'a case ID has 6 characters');
const secretPattern = /^[0-9A-HJKMNP-TV-Z]{12}$/;

export interface CaseCredentials {
  caseId: string;
  secret: string;
}

function randomSymbols(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  // 32 symbols: the low five bits of a uniform byte are uniform
  return Array.from(bytes, (b) => CASE_ALPHABET[b & 31]).join('');
}

/** A new case ID and secret (CSPRNG); made in the technician's browser. */
export function newCaseCredentials(): CaseCredentials {
  return { caseId: randomSymbols(CASE_ID_LENGTH), secret: randomSymbols(CASE_SECRET_LENGTH) };
}

/** The code to read on the phone: case ID and secret in groups of three, e.g. `7KQ-M2D-…`. */
export function formatCaseCode({ caseId, secret }: CaseCredentials): string {
  return (caseId + secret).match(/.{3}/g)!.join('-');
}

/** Upper case, without spaces and dashes; O reads as 0, I and L as 1 (Crockford). */
function normalise(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** A code as the customer typed it (with or without spaces or dashes, any case), or undefined when it cannot be one. */
export function parseCaseCode(input: string): CaseCredentials | undefined {
  const code = normalise(input);
  if (code.length !== CASE_ID_LENGTH + CASE_SECRET_LENGTH) return undefined;
  const creds = { caseId: code.slice(0, CASE_ID_LENGTH), secret: code.slice(CASE_ID_LENGTH) };
  return caseIdSchema.safeParse(creds.caseId).success && secretPattern.test(creds.secret) ? creds : undefined;
}

/** The customer's link: the secret only in the fragment, which browsers never send to a server. */
export function caseLink(origin: string, creds: CaseCredentials): string {
  return `${origin.replace(/\/$/, '')}/#case=${creds.caseId}.${creds.secret}`;
}

/** The credentials in a page's fragment (`#case=<id>.<secret>`), or undefined. */
export function caseFromFragment(hash: string): CaseCredentials | undefined {
  const m = /(?:^#|&)case=([0-9A-Za-z]{6})\.([0-9A-Za-z]{12})(?:&|$)/.exec(hash);
  return m ? parseCaseCode(m[1]! + m[2]!) : undefined;
}

/** A waiting time for people: 0:07, 12:30, 1:02:03. */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}
