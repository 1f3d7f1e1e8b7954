import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailureLimiter, type Admission, type SignInAttempt, type SignInOutcome } from '../../packages/server/src/auth/rate-limit.js';
import { RedisSignInLimiter } from '../../packages/server/src/cluster/redis-sign-in-limiter.js';
import { startRedis, type RedisServer } from '@fernhilfe/testkit';

const policy = { pairMax: 3, ipMax: 5, loginSoftMax: 6, slowIntervalMs: 2000, windowMs: 60_000 };
const retryOf = (a: Admission) => (a.ok ? 0 : a.retryAfterSeconds);

/**
 * The Redis sign-in limiter against a real redis-server: the same policy as the in-memory
 * FailureLimiter, counted atomically before the check, shared by every node on the same Redis, and
 * no password in any key.
 */
describe('RedisSignInLimiter on a real Redis', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  let clock = 1_700_000_000_000;
  const advance = (ms: number) => (clock += ms);
  /** A limiter with its own Redis connection, like one server node. */
  const node = (p: Partial<typeof policy> = {}) => {
    const client = new Redis(redis.url);
    clients.push(client);
    return { limiter: new RedisSignInLimiter(client, { policy: { ...policy, ...p }, now: () => clock }), client };
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  beforeEach(async () => {
    const { client } = node();
    await client.flushall();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await redis?.stop();
  });

  it('admits only the limit out of 200 concurrent attempts spread over two nodes', async () => {
    const [a, b] = [node().limiter, node().limiter];
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).admit({ login: 'alice', ip: '192.0.2.1' })));
    expect(burst.filter((x) => x.ok)).toHaveLength(3);
    expect(burst.filter((x) => !x.ok).every((x) => retryOf(x) === 60)).toBe(true);
    const spray = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).admit({ login: `user${i}`, ip: '192.0.2.7' })));
    expect(spray.filter((x) => x.ok)).toHaveLength(5);
  });

  it('is shared: a success on one node forgets the pair on the other; another address is never locked out', async () => {
    const [a, b] = [node().limiter, node().limiter];
    await a.admit({ login: 'alice', ip: '192.0.2.1' });
    await b.admit({ login: 'alice', ip: '192.0.2.1' });
    const third = await a.admit({ login: 'alice', ip: '192.0.2.1' });
    expect(retryOf(await b.admit({ login: 'alice', ip: '192.0.2.1' }))).toBe(60);
    expect((await b.admit({ login: 'alice', ip: '192.0.2.2' })).ok).toBe(true);
    if (!third.ok) throw new Error('admitted');
    await b.settle(third.ticket, 'succeeded');
    expect((await a.admit({ login: 'alice', ip: '192.0.2.1' })).ok).toBe(true);
  });

  it('answers like the in-memory limiter for the same sequence of attempts and outcomes', async () => {
    const memory = new FailureLimiter({ policy, now: () => clock });
    const { limiter } = node();
    const attempts: SignInAttempt[] = [
      { login: 'alice', ip: '192.0.2.1' },
      { login: 'alice', ip: '192.0.2.2' },
      { login: 'alice', ip: '2001:db8::1' },
      { login: 'bob', ip: '192.0.2.1' },
      { login: undefined, ip: '192.0.2.3' },
    ];
    const outcomes: SignInOutcome[] = ['failed', 'failed', 'failed', 'not-a-failure', 'succeeded'];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const answers: number[] = [];
    for (let step = 0; step < 300; step++) {
      const attempt = attempts[next(attempts.length)]!;
      const [m, r] = [await memory.admit(attempt), await limiter.admit(attempt)];
      expect(retryOf(r), `step ${step}, ${JSON.stringify(attempt)}`).toBe(retryOf(m));
      if (m.ok && r.ok) {
        const outcome = outcomes[next(outcomes.length)]!;
        await memory.settle(m.ticket, outcome);
        await limiter.settle(r.ticket, outcome);
      }
      answers.push(retryOf(r));
      advance(next(1500));
    }
    // the sequence did reach the limits often enough to compare waiting times, not just zeros
    expect(answers.filter((s) => s > 0).length).toBeGreaterThan(30);
    expect(answers.filter((s) => s > 0 && s <= 2).length, 'slowed answers').toBeGreaterThan(0);
  });

  it('keeps at most the limit per key, expiring with the window', async () => {
    const { limiter, client } = node();
    for (let i = 0; i < 20; i++) await limiter.admit({ login: 'alice', ip: `192.0.2.${i}` });
    expect(await client.zcard('fernhilfe:signin:login:alice')).toBe(6);
    const ttl = await client.pttl('fernhilfe:signin:login:alice');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await client.pttl('fernhilfe:signin:slot:alice')).toBeLessThanOrEqual(2000);
  });

  it('puts no password into Redis: a login field holding a password gets no key, its address still counts', async () => {
    const { limiter, client } = node();
    const typedPassword = 'Sommer 2026! geheim';
    for (let i = 0; i < 3; i++) await limiter.admit({ login: typedPassword, ip: '198.51.100.4' });
    await limiter.admit({ login: 'carol', ip: 'not an address, sommer 2026' });
    const stored = (await client.keys('*')).sort();
    expect(stored).toEqual([
      'fernhilfe:signin:ip:(not an address)',
      'fernhilfe:signin:ip:198.51.100.4',
      'fernhilfe:signin:login:carol',
      'fernhilfe:signin:pair:carol|(not an address)',
    ]);
    const members = (await Promise.all(stored.map((k) => client.zrange(k, '0', '-1')))).flat();
    expect(members.length).toBe(6);
    for (const text of [...stored, ...members]) expect(text.toLowerCase()).not.toContain('sommer');
  });
});
