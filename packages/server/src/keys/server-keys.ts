import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { Database, Dialect } from '../storage/database.js';
import type { Schema } from '../storage/schema.js';
import { createKeyFile, KeyFileError, parseKeyFile, readKeyFile, type KeyMaterial } from './key-file.js';
import { SecretBox } from './secret-box.js';

/** Where the keys come from: SERVER_KEY (the file's text, from a secret store) or SERVER_KEY_FILE. */
export interface KeySource {
  /** SERVER_KEY_FILE (default DATA_DIR/server.key) */
  file: string;
  /** SERVER_KEY: the key file's text itself; wins over the file, and nothing is written */
  text?: string | undefined;
}

/** Settings key of the receipt key as main kept it before the key file existed (moved out, then deleted). */
const LEGACY_RECEIPT_KEY = 'receipts.signing-key';
/** Settings key of the key file's public fingerprint, so a node with another key file refuses to start. */
const FINGERPRINT_KEY = 'server-keys.fingerprint';
const legacySchema = z.object({ privateKey: z.string(), publicKey: z.string() });
const fingerprintSchema = z.object({ keyId: z.string(), receiptPublicKey: z.string() });

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519FromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key, base64url. */
export function rawPublicKeyB64(key: KeyObject): string {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32).toString('base64url');
}

const derive = (master: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `fernhilfe/${purpose}`, 32));

/**
 * The server's secrets, from a key file outside the database (or SERVER_KEY), each purpose with
 * its own key: the receipt signing key (its own seed), the audit head signing key and the TOTP
 * encryption key (both HKDF-SHA-256 from the master key).
 */
export class ServerKeys {
  readonly receiptKey: KeyObject;
  readonly auditHeadKey: KeyObject;
  readonly totpBox: SecretBox;
  /** public and stable: names the key file without revealing it */
  readonly keyId: string;

  private constructor(material: KeyMaterial) {
    this.receiptKey = ed25519FromSeed(material.receiptSeed);
    this.auditHeadKey = ed25519FromSeed(derive(material.master, 'audit-head/ed25519'));
    this.totpBox = new SecretBox(derive(material.master, 'totp-secrets/aes-256-gcm'));
    this.keyId = createHash('sha256').update(derive(material.master, 'key-id')).digest('hex').slice(0, 16);
  }

  /** For tools beside a running server (`fernhilfe audit verify --head`): reads the keys, never creates them. */
  static load(source: KeySource, warn: (message: string) => void = () => undefined): ServerKeys {
    const material = source.text ? parseKeyFile(source.text, 'SERVER_KEY') : readKeyFile(source.file, warn);
    if (!material) throw new KeyFileError('missing', `SERVER_KEY_FILE: ${source.file} does not exist (the server creates it on its first start)`);
    return new ServerKeys(material);
  }

  /**
   * At server start: reads the key file, or creates it (mode 600), moving a receipt key that an
   * older version kept in the database into it and deleting it there; then checks that the
   * database was set up with this same key file (all nodes need the same one).
   */
  static async open(source: KeySource, database: Pick<Database, 'db' | 'dialect'>, log: Logger): Promise<ServerKeys> {
    const { db, dialect } = database;
    // deleted or overwritten rows are zeroed on disk, not left in free space (secrets are moved out below)
    if (dialect === 'sqlite') await sql`PRAGMA secure_delete = ON`.execute(db);
    const warn = (message: string) => log.warn(message);
    const legacy = await readLegacy(db);
    let material = source.text ? parseKeyFile(source.text, 'SERVER_KEY') : readKeyFile(source.file, warn);
    if (!material) {
      material = createKeyFile(source.file, legacy?.seed, warn);
      log.info({ file: source.file, movedReceiptKey: Boolean(legacy) }, 'server key file created (mode 600): keep it secret and backed up; every node needs the same file');
    }
    const keys = new ServerKeys(material);
    const receiptPublicKey = rawPublicKeyB64(keys.receiptKey);
    if (legacy && legacy.publicKey !== receiptPublicKey) {
      throw new KeyFileError(
        'mismatch',
        `the database still holds a receipt key (${legacy.publicKey}) that differs from the one in ${source.text ? 'SERVER_KEY' : source.file} (${receiptPublicKey}); start once without SERVER_KEY and with no key file so that it is moved out, or delete the setting ${LEGACY_RECEIPT_KEY} to give it up`,
      );
    }
    await checkFingerprint(db, { keyId: keys.keyId, receiptPublicKey }, source);
    if (legacy) {
      await eraseLegacy(db, dialect);
      log.info({ receiptPublicKey }, 'the receipt key was moved out of the database into the server key file');
    }
    return keys;
  }
}

async function readLegacy(db: Kysely<Schema>): Promise<{ seed: Buffer; publicKey: string } | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', LEGACY_RECEIPT_KEY).executeTakeFirst();
  if (!row) return undefined;
  const stored = legacySchema.parse(JSON.parse(row.value));
  const key = createPrivateKey(stored.privateKey);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return { seed: der.subarray(der.length - 32), publicKey: rawPublicKeyB64(key) };
}

/** Deletes the old receipt key so that its bytes do not stay behind in free pages or the log. */
async function eraseLegacy(db: Kysely<Schema>, dialect: Dialect): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', LEGACY_RECEIPT_KEY).execute();
  await scrubFreedSpace({ db, dialect }, 'settings');
}

/**
 * After secrets were deleted or overwritten: SQLite (whose connection has `secure_delete` on, set
 * below at start) moves the write-ahead log into the database and empties it; PostgreSQL vacuums
 * `table`, so the old row versions are gone.
 */
export async function scrubFreedSpace(database: Pick<Database, 'db' | 'dialect'>, table: 'settings' | 'users'): Promise<void> {
  if (database.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(database.db);
  else await sql.raw(`VACUUM ${table}`).execute(database.db);
}

async function checkFingerprint(db: Kysely<Schema>, mine: z.infer<typeof fingerprintSchema>, source: KeySource): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: FINGERPRINT_KEY, value: JSON.stringify(mine), updated_at: Date.now() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', FINGERPRINT_KEY).executeTakeFirstOrThrow();
  const stored = fingerprintSchema.parse(JSON.parse(row.value));
  if (stored.keyId !== mine.keyId || stored.receiptPublicKey !== mine.receiptPublicKey) {
    throw new KeyFileError(
      'mismatch',
      `${source.text ? 'SERVER_KEY' : `the key file ${source.file}`} (key id ${mine.keyId}) is not the key this database was set up with (key id ${stored.keyId}): every node of one database needs the same server key file; copy it from the first node`,
    );
  }
}
