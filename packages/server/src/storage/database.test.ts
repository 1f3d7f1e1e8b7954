import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, redactUrl, type Database } from './database.js';
import { migrateToLatest } from './migrate.js';

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('storage on $name', (backend) => {
  let database: Database;
  beforeEach(async () => {
    database = await createDatabase(await backend.freshDatabase());
  });
  afterEach(async () => {
    await database.close();
  });

  it('reports its dialect', () => {
    expect(database.dialect).toBe(backend.name);
  });

  it('runs migrations once and is idempotent', async () => {
    expect(await migrateToLatest(database.db)).toEqual(['001_accounts', '002_support_sessions', '003_settings', '004_user_totp', '005_audit', '006_account_admin', '007_oidc', '008_support_cases', '009_recordings']);
    expect(await migrateToLatest(database.db)).toEqual([]);
    const tables = (await database.db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual(['account_links', 'audit_anchors', 'audit_head', 'audit_log', 'oidc_logins', 'receipt_tokens', 'recordings', 'settings', 'setup_tokens', 'support_cases', 'support_sessions', 'terms_versions', 'users', 'web_sessions']);
    const users = (await database.db.introspection.getTables()).find((t) => t.name === 'users');
    expect(users?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['totp_secret', 'totp_enabled_at', 'totp_last_step', 'oidc_issuer', 'oidc_subject', 'last_sign_in_at']));
  });

  it('returns BIGINT timestamps as numbers', async () => {
    await migrateToLatest(database.db);
    const at = 1_767_225_600_123;
    await database.db
      .insertInto('setup_tokens')
      .values({ token_hash: 'h', created_at: at, expires_at: at + 1 })
      .execute();
    const row = await database.db.selectFrom('setup_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual({ token_hash: 'h', created_at: at, expires_at: at + 1, used_at: null });
  });

  it('enforces foreign keys', async () => {
    await migrateToLatest(database.db);
    const orphan = database.db
      .insertInto('web_sessions')
      .values({ id: 'x', user_id: 'nobody', csrf_token_hash: 'y', created_at: 1, expires_at: 2, last_seen_at: 1 })
      .execute();
    await expect(orphan).rejects.toThrow(/foreign key/i);
  });

  it('rejects a role outside admin and technician', async () => {
    await migrateToLatest(database.db);
    const insert = sql`insert into users (id, login, display_name, company, role, password_hash, created_at)
      values ('1', 'eve', 'Eve', '', 'root', 'h', 1)`.execute(database.db);
    await expect(insert).rejects.toThrow(/check/i);
  });
});

describe('createDatabase', () => {
  const sqlite = backends[0];

  it('uses WAL mode for SQLite and keeps the file in the data dir', async () => {
    const opts = await sqlite!.freshDatabase();
    const database = await createDatabase(opts);
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
    await database.close();
    expect(rows[0]?.journal_mode).toBe('wal');
    expect(readdirSync(opts.dataDir)).toContain('fernhilfe.sqlite');
  });

  it('rejects other URLs, naming the value without its password', async () => {
    const attempt = createDatabase({ databaseUrl: 'mysql://app:s3cret@db.example/fh', dataDir: '/nonexistent' });
    await expect(attempt).rejects.toThrow('got "mysql://app:***@db.example/fh"');
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it('explains a PostgreSQL server it cannot reach, without the password', async () => {
    const url = 'postgresql://app:s3cret@/fh?host=/nonexistent-socket-dir';
    const attempt = createDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
    await expect(attempt).rejects.toThrow(/^Cannot connect to PostgreSQL at postgresql:\/\/app:\*\*\*@/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it('redacts only the password', () => {
    expect(redactUrl('postgres://u:p@h:5432/d')).toBe('postgres://u:***@h:5432/d');
    expect(redactUrl('postgres://h/d')).toBe('postgres://h/d');
  });
});
