import { describe, expect, it } from 'vitest';
import { AuthError } from './errors.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('produces a PHC scrypt string that verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored).not.toContain('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterx', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!')).not.toBe(await hashPassword('same password!'));
  });

  it('treats unicode forms of one password alike', async () => {
    const stored = await hashPassword('Pa\u0073\u0073wört-123');
    expect(await verifyPassword('Pa\u0073\u0073wo\u0308rt-123', stored)).toBe(true);
  });

  it.each([
    '',
    'plain text',
    '$scrypt$ln=15,r=8,p=1$salt',
    '$scrypt$ln=15,r=8,p=1$!!!!$????',
    '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
  ])('returns false for the malformed stored hash %j', async (stored) => {
    expect(await verifyPassword('whatever password', stored)).toBe(false);
  });
});

describe('password policy', () => {
  it('accepts 10 to 256 characters', () => {
    expect(() => checkPasswordPolicy('a'.repeat(10))).not.toThrow();
    expect(() => checkPasswordPolicy('a'.repeat(256))).not.toThrow();
    expect(() => checkPasswordPolicy('😀'.repeat(256))).not.toThrow();
  });

  it.each([0, 9, 257])('rejects a password of %i characters', (length) => {
    const password = 'a'.repeat(length);
    expect(() => checkPasswordPolicy(password)).toThrow(AuthError);
    try {
      checkPasswordPolicy(password);
    } catch (error) {
      expect(error).toMatchObject({ reason: 'password_policy', message: 'The password must be 10 to 256 characters long.' });
    }
  });
});
