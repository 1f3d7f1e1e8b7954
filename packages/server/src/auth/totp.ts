import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app does it: HMAC-SHA-1, 6 digits, 30 s steps. */
const ALGORITHM = 'SHA1';
const DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of now, for clock drift and slow typing. */
const WINDOW = 1;
const SECRET_BYTES = 20;

/** A new random secret (20 bytes), base32 as authenticator apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/…` URI for the QR code: `issuer` names the service, `label` the account. */
export function totpUri(secret: string, issuer: string, label: string): string {
  return totp(secret, { issuer, label }).toString();
}

/**
 * The time step (epoch seconds / 30) the code belongs to when it is right for `secret` at `nowMs`,
 * within one step either side; undefined otherwise. Spaces in the code are ignored ("123 456").
 */
export function totpStep(secret: string, code: string, nowMs: number): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totp(secret).validate({ token, timestamp: nowMs, window: WINDOW });
  return delta === null ? undefined : totp(secret).counter({ timestamp: nowMs }) + delta;
}

function totp(secret: string, names: { issuer?: string; label?: string } = {}): TOTP {
  return new TOTP({ ...names, algorithm: ALGORITHM, digits: DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}
