import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FernhilfeError } from '@fernhilfe/protocol';

const PREFIX = 'enc1:';

/** A key of the wrong size, or a value that was never sealed or is cut short. */
export class SecretBoxError extends FernhilfeError<'bad-key' | 'not-sealed' | 'too-short'> {
  override readonly name = 'SecretBoxError';
}

/**
 * Encrypts short secrets for a database column with AES-256-GCM (node:crypto): a fresh 12-byte
 * nonce per value, the row's identity as associated data (a value copied to another row does not
 * open), stored as `enc1:<base64url(nonce | ciphertext | tag)>`.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError('bad-key', 'a secret box needs a 32-byte key');
  }

  /** A box with a random key that lives as long as this process (what tests get when no key is given). */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(plain: string, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The plain text, or throws when the value was not sealed by this key for this context. */
  open(sealed: string, context: string): string {
    if (!SecretBox.isSealed(sealed)) throw new SecretBoxError('not-sealed', 'the value is not encrypted');
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    if (bytes.length < 12 + 16) throw new SecretBoxError('too-short', 'the encrypted value is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  }
}
