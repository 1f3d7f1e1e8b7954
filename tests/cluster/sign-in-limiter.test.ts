import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../packages/server/src/auth/rate-limit.js';
import { RedisSignInLimiter } from '../../packages/server/src/cluster/redis-sign-in-limiter.js';
import { startRedis, type RedisServer } from '../support/redis.js';

/**
 * The Redis sign-in limiter against a real redis-server: the same sliding window as the in-memory
 * FailureLimiter, shared by every limiter (node) on the same Redis, and no password in any key.
 */
describe('RedisSignInLimiter on a real Redis', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  let clock = 1_700_000_000_000;
  const advance = (ms: number) => (clock += ms);
  /** A limiter with its own Redis connection, like one server node. */
  const node = (opts: { maxFailures?: number; windowMs?: number } = {}) => {
    const client = new Redis(redis.url);
    clients.push(client);
    return { limiter: new RedisSignInLimiter(client, { maxFailures: 3, windowMs: 60_000, now: () => clock, ...opts }), client };
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

  it('allows attempts until the limit, then says how long to wait', async () => {
    const { limiter } = node();
    for (let i = 0; i < 3; i++) {
      expect(await limiter.retryAfterSeconds('login:alice')).toBe(0);
      await limiter.recordFailure('login:alice');
      advance(10_000);
    }
    expect(await limiter.retryAfterSeconds('login:alice')).toBe(30); // first failure 30 s ago leaves the 60 s window in 30 s
    expect(await limiter.retryAfterSeconds('login:bob')).toBe(0);
  });

  it('slides: old failures stop counting; reset forgets the key', async () => {
    const { limiter } = node();
    await limiter.recordFailure('login:alice');
    advance(59_000);
    await limiter.recordFailure('login:alice');
    await limiter.recordFailure('login:alice');
    expect(await limiter.retryAfterSeconds('login:alice')).toBe(1);
    advance(1_000);
    expect(await limiter.retryAfterSeconds('login:alice')).toBe(0);
    await limiter.recordFailure('login:alice');
    expect(await limiter.retryAfterSeconds('login:alice')).toBeGreaterThan(0);
    await limiter.reset('login:alice');
    expect(await limiter.retryAfterSeconds('login:alice')).toBe(0);
  });

  it('is shared: failures on one node count on the other', async () => {
    const a = node().limiter;
    const b = node().limiter;
    await a.recordFailure('ip:203.0.113.9');
    await b.recordFailure('ip:203.0.113.9');
    expect(await a.retryAfterSeconds('ip:203.0.113.9')).toBe(0);
    await a.recordFailure('ip:203.0.113.9');
    expect(await a.retryAfterSeconds('ip:203.0.113.9')).toBe(60);
    expect(await b.retryAfterSeconds('ip:203.0.113.9')).toBe(60);
    await b.reset('ip:203.0.113.9');
    expect(await a.retryAfterSeconds('ip:203.0.113.9')).toBe(0);
  });

  it('answers like the in-memory limiter for the same sequence of failures', async () => {
    const memory = new FailureLimiter({ maxFailures: 4, windowMs: 30_000, now: () => clock });
    const { limiter } = node({ maxFailures: 4, windowMs: 30_000 });
    const keys = ['login:alice', 'login:bob', 'ip:192.0.2.1', 'ip:2001:db8::1'];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const answers: number[] = [];
    for (let step = 0; step < 300; step++) {
      const key = keys[next(keys.length)]!;
      const op = next(10);
      if (op < 6) {
        await memory.recordFailure(key);
        await limiter.recordFailure(key);
      } else if (op === 6) {
        await memory.reset(key);
        await limiter.reset(key);
      }
      const [m, r] = [await memory.retryAfterSeconds(key), await limiter.retryAfterSeconds(key)];
      expect(r, `step ${step}, ${key}`).toBe(m);
      answers.push(r);
      advance(next(4_000));
    }
    // the sequence did reach the limit often enough to compare waiting times, not just zeros
    expect(answers.filter((s) => s > 0).length).toBeGreaterThan(30);
  });

  it('keeps at most maxFailures entries per key, expiring with the window', async () => {
    const { limiter, client } = node();
    for (let i = 0; i < 20; i++) await limiter.recordFailure('login:alice');
    expect(await client.zcard('fernhilfe:signin:login:alice')).toBe(3);
    const ttl = await client.pttl('fernhilfe:signin:login:alice');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('puts no password into Redis: a login field holding a password is not kept, its address still counts', async () => {
    const { limiter, client } = node();
    const typedPassword = 'Sommer 2026! geheim';
    for (let i = 0; i < 3; i++) {
      await limiter.recordFailure(`login:${typedPassword.toLowerCase()}`);
      await limiter.recordFailure('ip:198.51.100.4');
    }
    await limiter.recordFailure('ip:not an address, sommer 2026');
    expect(await limiter.retryAfterSeconds(`login:${typedPassword.toLowerCase()}`)).toBe(0);
    expect(await limiter.retryAfterSeconds('ip:198.51.100.4')).toBe(60);
    const stored = (await client.keys('*')).sort();
    expect(stored).toEqual(['fernhilfe:signin:ip:(not an address)', 'fernhilfe:signin:ip:198.51.100.4']);
    const members = (await Promise.all(stored.map((k) => client.zrange(k, '0', '-1')))).flat();
    expect(members.length).toBe(4);
    for (const text of [...stored, ...members]) expect(text.toLowerCase()).not.toContain('sommer');
    await expect(limiter.recordFailure('user:alice')).rejects.toThrow(/login:… or ip:…/);
  });
});
