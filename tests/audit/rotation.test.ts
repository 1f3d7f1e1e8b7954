import { describe, expect, it, vi } from 'vitest';
import { ConnectError, type TechnicianEndpoint } from '@fernhilfe/client';
import { auditDb } from '@fernhilfe/server';
import { startTestServer } from '../support/server.js';
import { holdStill } from '../support/quiet.js';

/** One wrong password, waiting out the back-off. */
async function wrongAttempt(tech: TechnicianEndpoint, id: string, password: string): Promise<void> {
  for (;;) {
    const err = await tech.connect(id, password).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof ConnectError)) throw new Error('the wrong password opened a session');
    if (err.reason !== 'rate-limited') return;
    await holdStill((err.retryAfterMs ?? 0) + 5, 'the back-off the server asked for');
  }
}

describe('failed passwords and the rotation on record', () => {
  it('records every failed attempt, with the count, and the new password (never the passwords)', async () => {
    await using srv = await startTestServer({ BACKOFF_BASE_MS: '20' });
    const customer = await srv.customer();
    const original = customer.password!;
    const wrong = original === 'aaaaaaa' ? 'bbbbbbb' : 'aaaaaaa';
    const rotated = customer.once('password-rotated');
    const tech = await srv.technician();
    for (let i = 0; i < 5; i++) await wrongAttempt(tech, customer.id, wrong);
    const { password: fresh } = await rotated;

    const db = auditDb(srv.database.db);
    const rows = async () => db.selectFrom('audit_log').select(['event', 'actor', 'data']).orderBy('seq').execute();
    await vi.waitFor(async () => expect((await rows()).map((r) => r.event), 'the rotation on record').toContain('password-rotated'), { timeout: 5000, interval: 25 });
    const entries = await rows();
    const failed = entries.filter((r) => r.event === 'authentication-failed');
    expect(failed.map((r) => JSON.parse(r.data) as unknown)).toEqual([1, 2, 3, 4, 5].map((n) => ({ failedAttempts: n })));
    expect(failed.every((r) => r.actor.startsWith('technician:'))).toBe(true);
    expect(entries.filter((r) => r.event === 'password-rotated')).toEqual([{ event: 'password-rotated', actor: 'customer', data: '{}' }]);
    const all = JSON.stringify(await db.selectFrom('audit_log').selectAll().execute());
    for (const secret of [original, wrong, fresh]) expect(all).not.toContain(secret);
    await customer.end();
    tech.close();
  });
});
