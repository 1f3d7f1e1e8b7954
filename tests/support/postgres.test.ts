import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBinDir, NOT_INSTALLED_MESSAGE, startPostgres, type PostgresServer } from '@fernhilfe/testkit';

describe('startPostgres', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves a database on a unix socket only', async () => {
    expect(server.url).toMatch(/^postgres:\/\/postgres@\/fernhilfe_test\?host=/);
    expect(existsSync(path.join(server.socketDir, '.s.PGSQL.5432'))).toBe(true);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; listen: string }>(
        "select current_database() as db, current_setting('listen_addresses') as listen",
      );
      expect(rows[0]).toEqual({ db: 'fernhilfe_test', listen: '' });
    } finally {
      await client.end();
    }
  });

  it('creates further empty databases', async () => {
    const url = await server.createDatabase('second_db');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_schema = 'public'",
    );
    await client.end();
    expect(rows[0]?.n).toBe('0');
  });

  it('stops and removes its directory', async () => {
    const other = await startPostgres();
    await other.stop();
    expect(existsSync(other.socketDir)).toBe(false);
  });
});

describe('findPostgresBinDir', () => {
  it('finds initdb and postgres on this machine', () => {
    const dir = findPostgresBinDir();
    expect(existsSync(path.join(dir, 'initdb'))).toBe(true);
    expect(existsSync(path.join(dir, 'postgres'))).toBe(true);
  });

  it('says how to install PostgreSQL when there is none', () => {
    expect(() => findPostgresBinDir({ dirs: ['/nonexistent/*/bin'], path: '' })).toThrow(NOT_INSTALLED_MESSAGE);
  });
});
