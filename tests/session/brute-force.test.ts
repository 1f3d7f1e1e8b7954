import { describe, expect, it } from 'vitest';
import { ConnectError, type TechnicianEndpoint } from '@fernhilfe/client';
import { startTestServer } from '../support/server.js';
import { holdStill } from '../support/quiet.js';

async function attempt(tech: TechnicianEndpoint, id: string, password: string): Promise<ConnectError | 'session'> {
  return tech.connect(id, password).then(
    () => 'session' as const,
    (err: unknown) => {
      if (err instanceof ConnectError) return err;
      throw err;
    },
  );
}

/** Tries until the back-off lets the attempt through; returns the final result and the refusals seen. */
async function attemptAfterBackoff(tech: TechnicianEndpoint, id: string, password: string) {
  const refusals: number[] = [];
  for (;;) {
    const r = await attempt(tech, id, password);
    if (r === 'session' || r.reason !== 'rate-limited') return { result: r, refusals };
    refusals.push(r.retryAfterMs ?? 0);
    await holdStill((r.retryAfterMs ?? 0) + 5, 'the back-off the server asked for');
  }
}

describe('brute force', () => {
  it('five wrong passwords rotate the customer password; the old one then fails and the new one works', async () => {
    await using srv = await startTestServer({ BACKOFF_BASE_MS: '100' }); // the next attempt comes within 100 ms even on a loaded machine
    const customer = await srv.customer();
    const original = customer.password!;
    const rotated = customer.once('password-rotated');
    const failures: { failures: number; remaining: number }[] = [];
    customer.on('attempt-failed', (f) => failures.push(f));
    const tech = await srv.technician();

    const backoffs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { result, refusals } = await attemptAfterBackoff(tech, customer.id, original === 'aaaaaaa' ? 'bbbbbbb' : 'aaaaaaa');
      expect(result).not.toBe('session');
      expect((result as ConnectError).reason).toBe('wrong-credentials');
      expect((result as ConnectError).message).toMatch(/^Wrong ID or password\./);
      backoffs.push((result as ConnectError).retryAfterMs ?? 0);
      if (i > 0) expect(refusals.length).toBeGreaterThan(0); // the back-off held the attempt back
    }
    // exponential: each failure doubles the wait the server announces
    for (let i = 1; i < backoffs.length; i++) expect(backoffs[i]!).toBeGreaterThan(backoffs[i - 1]! * 1.5);
    expect(failures.map((f) => f.remaining)).toEqual([4, 3, 2, 1, 0]);

    const { password: fresh } = await rotated;
    expect(fresh).not.toBe(original);
    expect(customer.password).toBe(fresh);

    const old = await attemptAfterBackoff(tech, customer.id, original);
    expect((old.result as ConnectError).reason).toBe('wrong-credentials');

    const good = await attemptAfterBackoff(tech, customer.id, fresh);
    expect(good.result).toBe('session');
  });

  it('a quick retry is told plainly how long to wait', async () => {
    await using srv = await startTestServer({ BACKOFF_BASE_MS: '5000' });
    const customer = await srv.customer();
    const tech = await srv.technician();
    const first = await attempt(tech, customer.id, 'wrongpw');
    expect(first).toBeInstanceOf(ConnectError);
    const second = (await attempt(tech, customer.id, customer.password!)) as ConnectError;
    expect(second.reason).toBe('rate-limited');
    expect(second.retryAfterMs).toBeGreaterThan(3000);
    expect(second.message).toMatch(/^Too many attempts\. Try again in [45] s\.$/);
  });

  it('an unknown ID gives the same answer as a wrong password and is backed off too', async () => {
    await using srv = await startTestServer({ BACKOFF_BASE_MS: '5000' });
    const tech = await srv.technician();
    const first = (await attempt(tech, '123456789', 'abcdefg')) as ConnectError;
    expect(first.reason).toBe('wrong-credentials');
    const second = (await attempt(tech, '123456789', 'abcdefg')) as ConnectError;
    expect(second.reason).toBe('rate-limited');
  });

  it('the per-account limit stops one technician spreading guesses over many IDs', async () => {
    await using srv = await startTestServer({ BACKOFF_BASE_MS: '1' });
    const tech = await srv.technician();
    const reasons: string[] = [];
    for (let i = 0; i < 22; i++) {
      const r = (await attempt(tech, String(200_000_000 + i), 'abcdefg')) as ConnectError;
      reasons.push(r.reason);
    }
    expect(reasons.slice(0, 20).every((r) => r === 'wrong-credentials')).toBe(true);
    expect(reasons.slice(20)).toEqual(['rate-limited', 'rate-limited']);
  });
});
