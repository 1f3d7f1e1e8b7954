import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectError } from '@fernhilfe/client';
import { LogicalChannel } from '@fernhilfe/protocol';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { startTestServer } from '../support/server.js';
import { holdStill } from '../support/quiet.js';

/** The session tests' core on a real PostgreSQL: the server records sessions there, not in SQLite. */
describe('a whole session with the server on PostgreSQL', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres({ database: 'fernhilfe_session' });
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('runs a session, records it in PostgreSQL, and refuses the used pair', async () => {
    await using srv = await startTestServer({ DATABASE_URL: pg.url, BACKOFF_BASE_MS: '20' });
    expect(srv.database.dialect).toBe('postgres');
    const customer = await srv.customer();
    const password = customer.password!;
    const tech = await srv.technician();

    const wrong = await tech.connect(customer.id, 'zzzzzzz').catch((e: unknown) => e);
    expect((wrong as ConnectError).reason).toBe('wrong-credentials');
    await holdStill(60, 'the back-off after one wrong guess (BACKOFF_BASE_MS=20)');

    const custSession = customer.once('session');
    const techSession = await tech.connect(customer.id, password);
    const cs = await custSession;
    const got = cs.once('data');
    await techSession.sendData(LogicalChannel.data, new TextEncoder().encode('über PostgreSQL'));
    expect(new TextDecoder().decode((await got).bytes)).toBe('über PostgreSQL');
    const ended = techSession.once('ended');
    await customer.end();
    await ended;

    // the record is in PostgreSQL: one session with one failed attempt, authenticated and ended
    const rows = await vi.waitFor(async () => {
      const found = await srv.database.db.selectFrom('support_sessions').selectAll().where('customer_id', '=', customer.id).execute();
      expect(found.map((r) => r.ended_at), 'the ended session on record').toEqual([expect.anything()]);
      return found;
    }, { timeout: 5000 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ failed_attempts: 1, end_reason: 'customer:ended-by-customer' });
    expect(rows[0]!.authenticated_at).not.toBeNull();

    const again = await srv.technician();
    const reuse = await again.connect(customer.id, password).catch((e: unknown) => e);
    expect((reuse as ConnectError).reason).toBe('customer-left');
    again.close();
  });
});
