import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FernhilfeError } from '@fernhilfe/protocol';

/**
 * The server's secret key file (docs/audit.md, "Keys"), kept outside the database:
 *
 *   fernhilfe-server-key-v1
 *   master: <base64url of 32 random bytes>      (HKDF: TOTP encryption key, audit head signing key)
 *   receipt-seed: <base64url of 32 bytes>       (the Ed25519 receipt key's seed)
 *
 * The receipt seed is its own line so that a key that lived in the database before can be moved
 * here unchanged and receipts customers already hold keep verifying.
 */
export const KEY_FILE_FORMAT = 'fernhilfe-server-key-v1';

export interface KeyMaterial {
  master: Buffer;
  receiptSeed: Buffer;
}

/** The server key is not in the key file's format, cannot be read or written, is missing, or is not this database's key. */
export type KeyFileFailure = 'malformed' | 'unreadable' | 'missing' | 'mismatch';

export class KeyFileError extends FernhilfeError<KeyFileFailure> {
  override readonly name = 'KeyFileError';
}

const b64 = (b: Buffer) => b.toString('base64url');

export function formatKeyFile(k: KeyMaterial): string {
  return [
    KEY_FILE_FORMAT,
    '# Fernhilfe server keys: keep this file secret (mode 600) and backed up; every node of one',
    '# database needs the same file. It signs receipts and audit heads and encrypts TOTP secrets.',
    `master: ${b64(k.master)}`,
    `receipt-seed: ${b64(k.receiptSeed)}`,
    '',
  ].join('\n');
}

/** Parses the key file's text; `where` names it in errors (a path, or SERVER_KEY). */
export function parseKeyFile(text: string, where: string): KeyMaterial {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines[0] !== KEY_FILE_FORMAT) throw new KeyFileError('malformed', `${where}: not a Fernhilfe server key (the first line must be "${KEY_FILE_FORMAT}")`);
  const fields = new Map<string, Buffer>();
  for (const line of lines.slice(1)) {
    const m = /^(master|receipt-seed):\s*([A-Za-z0-9_-]{43})$/.exec(line);
    if (!m) throw new KeyFileError('malformed', `${where}: unreadable line "${line.split(':')[0]?.slice(0, 20) ?? ''}: …" (expected master: and receipt-seed:, 32 bytes base64url each)`);
    fields.set(m[1]!, Buffer.from(m[2]!, 'base64url'));
  }
  const master = fields.get('master');
  const receiptSeed = fields.get('receipt-seed');
  if (master?.length !== 32 || receiptSeed?.length !== 32) throw new KeyFileError('malformed', `${where}: needs both master: and receipt-seed: (32 bytes each)`);
  return { master, receiptSeed };
}

/** Reads the key file; undefined when it does not exist. Warns (through `warn`) when others may read it. */
export function readKeyFile(file: string, warn: (message: string) => void): KeyMaterial | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new KeyFileError('unreadable', `SERVER_KEY_FILE: cannot read ${file} (${code ?? 'error'})`, { cause: err });
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) warn(`the server key file ${file} can be read by other users (mode ${mode.toString(8)}): chmod 600 it`);
  return parseKeyFile(text, file);
}

/** Creates the key file (mode 600, never over an existing one); returns what is in the file afterwards. */
export function createKeyFile(file: string, receiptSeed: Buffer | undefined, warn: (message: string) => void): KeyMaterial {
  const material = { master: randomBytes(32), receiptSeed: receiptSeed ?? randomBytes(32) };
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, formatKeyFile(material), { mode: 0o600, flag: 'wx' });
    return material;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new KeyFileError('unreadable', `SERVER_KEY_FILE: cannot create ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
    // another process on this machine made it first: use theirs
    const theirs = readKeyFile(file, warn);
    if (!theirs) throw new KeyFileError('missing', `SERVER_KEY_FILE: ${file} vanished while it was created`);
    return theirs;
  }
}
