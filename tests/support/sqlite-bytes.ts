import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every byte SQLite keeps in DATA_DIR (the database and its write-ahead log), as one buffer: what a thief of the disk reads. */
export function databaseBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).filter((f) => f.startsWith('fernhilfe.sqlite')).map((f) => readFileSync(path.join(dataDir, f))));
}
