import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '@fernhilfe/server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@fernhilfe/testkit';

/**
 * PostgreSQL ends the server's idle pooled connections (a database restart, an administrator's
 * pg_terminate_backend): the server hears it, keeps running, and its next query opens a new
 * connection. Unheard, the pool's 'error' event ended the whole process (a CI run caught it).
 */
describe('a pooled PostgreSQL connection that dies while idle', () => {
  let pgServer: PostgresServer;
  let database: Database;
  let admin: Database;
  const lost: string[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-pg-lost-'));

  beforeAll(async () => {
    pgServer = await startPostgres();
    const url = await pgServer.createDatabase('lost');
    database = await createDatabase({ databaseUrl: url, dataDir, onConnectionLost: (err) => lost.push(err.message) });
    admin = await createDatabase({ databaseUrl: url, dataDir });
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await admin?.close();
    await pgServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is reported, not thrown, and the next query works on a new connection', async () => {
    const pidOf = async (d: Database) => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(d.db)).rows[0]!.pid;
    const before = await pidOf(database); // the pool now holds one idle connection
    const ended = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where pid = ${before}`.execute(admin.db);
    expect(ended.rows[0]!.n).toBe(1);
    await expect.poll(() => lost.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(lost[0]).toMatch(/terminating connection/);
    const after = await pidOf(database);
    expect(after).not.toBe(before);
  });
});
