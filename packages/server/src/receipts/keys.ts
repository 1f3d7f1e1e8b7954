import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { AuditDb } from '../audit/schema.js';

const KEY = 'receipts.signing-key';
const storedSchema = z.object({ privateKey: z.string(), publicKey: z.string() });

/**
 * The server's Ed25519 receipt key. Made on the first start and kept in the settings table, so every
 * node on a shared database signs with the same key (the first node to store one wins). The
 * private key never leaves the server; the public key is published at GET /receipt/public-key.
 */
export class ReceiptKeys {
  /** use ReceiptKeys.open() */
  constructor(
    private readonly privateKey: KeyObject,
    /** raw 32-byte public key, base64url */
    readonly publicKey: string,
  ) {}

  static async open(db: AuditDb, now: () => number = Date.now): Promise<ReceiptKeys> {
    const existing = await read(db);
    if (existing) return existing;
    const pair = generateKeyPairSync('ed25519');
    const value = JSON.stringify({
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: rawPublicKey(pair.publicKey),
    });
    await db
      .insertInto('settings')
      .values({ key: KEY, value, updated_at: now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await read(db);
    if (!stored) throw new Error('the receipt signing key could not be stored');
    return stored;
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64url');
  }

  /** Whether `signature` (base64url) is this key's signature over `message`. */
  verify(message: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64 || bytes.toString('base64url') !== signature) return false;
    return verify(null, Buffer.from(message, 'utf8'), createPublicKey(this.privateKey), bytes);
  }
}

async function read(db: AuditDb): Promise<ReceiptKeys | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  if (!row) return undefined;
  const stored = storedSchema.parse(JSON.parse(row.value));
  const privateKey = createPrivateKey(stored.privateKey);
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  if (publicKey !== stored.publicKey) throw new Error('the stored receipt key is damaged: its public key does not match');
  return new ReceiptKeys(privateKey, publicKey);
}

function rawPublicKey(key: KeyObject): string {
  // an Ed25519 SPKI in DER is a fixed 12-byte header followed by the 32-byte key
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32).toString('base64url');
}
