import { describe, expect, it } from 'vitest';
import { FailureLimiter, type Admission } from './rate-limit.js';

const policy = { pairMax: 3, ipMax: 5, loginSoftMax: 6, slowIntervalMs: 2000, windowMs: 60_000 };

describe('FailureLimiter', () => {
  const setup = () => {
    let clock = 0;
    const limiter = new FailureLimiter({ policy, now: () => clock });
    return { limiter, advance: (ms: number) => (clock += ms) };
  };
  const retryOf = (a: Admission) => (a.ok ? 0 : a.retryAfterSeconds);

  it('counts an attempt when it is admitted, before its outcome is known: a burst gets only the limit', async () => {
    const { limiter } = setup();
    const burst = await Promise.all(Array.from({ length: 200 }, () => limiter.admit({ login: 'alice', ip: '192.0.2.1' })));
    expect(burst.filter((a) => a.ok)).toHaveLength(3);
    expect(burst.filter((a) => !a.ok).every((a) => retryOf(a) === 60)).toBe(true);
  });

  it('limits per login and address, per address, and gives back what was not a failure', async () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) {
      expect((await limiter.admit({ login: 'alice', ip: '192.0.2.1' })).ok).toBe(true);
      advance(10_000);
    }
    expect(retryOf(await limiter.admit({ login: 'Alice', ip: '192.0.2.1' }))).toBe(30); // oldest at 0 leaves at 60 s
    expect((await limiter.admit({ login: 'alice', ip: '192.0.2.2' })).ok).toBe(true); // another address is not locked out
    // the address spraying logins: 3 + 2 more reach its limit of 5
    expect((await limiter.admit({ login: 'bob', ip: '192.0.2.1' })).ok).toBe(true);
    const last = await limiter.admit({ login: 'carol', ip: '192.0.2.1' });
    expect(last.ok).toBe(true);
    expect((await limiter.admit({ login: 'dave', ip: '192.0.2.1' })).ok).toBe(false);
    if (last.ok) await limiter.settle(last.ticket, 'not-a-failure');
    expect((await limiter.admit({ login: 'dave', ip: '192.0.2.1' })).ok).toBe(true);
  });

  it('forgets the pair after a success, but not the failures from other addresses', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 2; i++) await limiter.admit({ login: 'alice', ip: '192.0.2.1' });
    const ok = await limiter.admit({ login: 'alice', ip: '192.0.2.1' });
    if (!ok.ok) throw new Error('admitted');
    await limiter.settle(ok.ticket, 'succeeded');
    for (let i = 0; i < 3; i++) expect((await limiter.admit({ login: 'alice', ip: '192.0.2.1' })).ok).toBe(true);
    expect((await limiter.admit({ login: 'alice', ip: '192.0.2.1' })).ok).toBe(false);
  });

  it('slows a login that failed from many addresses instead of locking it: one attempt per interval', async () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 6; i++) expect((await limiter.admit({ login: 'admin', ip: `198.51.100.${i}` })).ok).toBe(true);
    expect((await limiter.admit({ login: 'admin', ip: '203.0.113.1' })).ok).toBe(true); // takes the slot
    expect(retryOf(await limiter.admit({ login: 'admin', ip: '203.0.113.2' }))).toBe(2);
    advance(1000);
    expect(retryOf(await limiter.admit({ login: 'admin', ip: '203.0.113.2' }))).toBe(1);
    advance(1000);
    expect((await limiter.admit({ login: 'admin', ip: '203.0.113.2' })).ok).toBe(true);
    advance(60_000);
    expect((await limiter.admit({ login: 'admin', ip: '203.0.113.3' })).ok).toBe(true); // the window passed
    expect((await limiter.admit({ login: 'admin', ip: '203.0.113.3' })).ok).toBe(true);
  });

  it('gives text that cannot be a login name only the address limit', async () => {
    const { limiter } = setup();
    const typed = 'Sommer 2026! geheim';
    const admitted = await Promise.all(Array.from({ length: 10 }, () => limiter.admit({ login: typed, ip: '192.0.2.9' })));
    expect(admitted.filter((a) => a.ok)).toHaveLength(5);
    for (const a of admitted) if (a.ok) expect(a.ticket.keys.map((k) => k.name)).toEqual(['ip:192.0.2.9']);
  });

  it('bounds the number of tracked keys', async () => {
    const limiter = new FailureLimiter({ policy: { ...policy, ipMax: 1 }, maxKeys: 2, now: () => 0 });
    await limiter.admit({ login: undefined, ip: 'a' });
    await limiter.admit({ login: undefined, ip: 'b' });
    await limiter.admit({ login: undefined, ip: 'c' });
    expect((await limiter.admit({ login: undefined, ip: 'a' })).ok).toBe(true);
    expect((await limiter.admit({ login: undefined, ip: 'c' })).ok).toBe(false);
  });
});
