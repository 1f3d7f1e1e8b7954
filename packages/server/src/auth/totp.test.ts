import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpStep, totpUri } from './totp.js';

const T0 = 1_767_225_600_000; // a step boundary: divisible by 30 000
const code = (secret: string, at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });

describe('TOTP', () => {
  const secret = newTotpSecret();

  it('makes 20-byte secrets, different each time', () => {
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('describes SHA-1, 6 digits, 30 s in the otpauth URI, with issuer and login', () => {
    const uri = totpUri(secret, 'ACME Hilfe', 'alice');
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({ issuer: 'ACME Hilfe', label: 'alice', algorithm: 'SHA1', digits: 6 });
    expect((parsed as TOTP).period).toBe(30);
    expect((parsed as TOTP).secret.base32).toBe(secret);
  });

  it('returns the time step of a right code, one step either side', () => {
    const step = T0 / 30_000;
    expect(totpStep(secret, code(secret, T0), T0 + 29_000)).toBe(step);
    expect(totpStep(secret, code(secret, T0 - 30_000), T0)).toBe(step - 1);
    expect(totpStep(secret, code(secret, T0 + 30_000), T0)).toBe(step + 1);
    expect(totpStep(secret, code(secret, T0 - 60_000), T0)).toBeUndefined();
    expect(totpStep(secret, code(secret, T0 + 60_000), T0)).toBeUndefined();
  });

  it('ignores spaces and refuses anything that is not 6 digits', () => {
    const right = code(secret, T0);
    expect(totpStep(secret, `${right.slice(0, 3)} ${right.slice(3)}`, T0)).toBe(T0 / 30_000);
    expect(totpStep(secret, right.slice(0, 5), T0)).toBeUndefined();
    expect(totpStep(secret, `${right}0`, T0)).toBeUndefined();
    expect(totpStep(secret, 'abcdef', T0)).toBeUndefined();
    expect(totpStep(newTotpSecret(), right, T0)).toBeUndefined();
  });
});
