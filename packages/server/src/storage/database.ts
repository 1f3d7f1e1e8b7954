import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { StorageError } from './errors.js';
import type { Schema } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// or postgresql:// URL; unset means SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL: an idle pooled connection failed (a database restart, an administrator's terminate) */
  onConnectionLost?: (err: Error) => void;
}

export const SQLITE_FILE_NAME = 'fernhilfe.sqlite';

/** Opens (and for SQLite creates) the database. Run `migrateToLatest(db)` afterwards. */
export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.databaseUrl;
  if (url === undefined || url === '') return openSqlite(opts.dataDir);
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, opts.onConnectionLost);
  throw new StorageError(
    'bad-url',
    `DATABASE_URL must start with postgres:// or postgresql:// (or be unset for SQLite); got "${redactUrl(url)}"`,
  );
}

function openSqlite(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // Wait instead of failing when a second process (e.g. `fernhilfe user add`) writes at the same time.
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function openPostgres(url: string, onConnectionLost?: (err: Error) => void): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, types: { getTypeParser } });
  // An idle client whose connection dies (PostgreSQL restarted, pg_terminate_backend) makes the pool
  // emit 'error'; unheard, that would end the process. The pool drops that client and opens a new
  // connection for the next query, so it is only worth a log line.
  pool.on('error', (err) => onConnectionLost?.(err));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError('unreachable', `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason}`, { cause: error });
  }
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** BIGINT (timestamps, COUNT(*)) as a JS number instead of pg's default string. */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (oid === pg.types.builtins.INT8 && format !== 'binary') return parseInt8;
  return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
}) as typeof pg.types.getTypeParser;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new StorageError('out-of-range', `BIGINT value out of the safe integer range: ${value}`);
  return n;
}

/** Shows a database URL without its password. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^/@:]*:)[^/@]*@/, '$1***@');
}
