import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.js';

describe('FailureLimiter', () => {
  const setup = () => {
    let clock = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => clock });
    return { limiter, advance: (ms: number) => (clock += ms) };
  };

  it('allows attempts until the limit, then says how long to wait', async () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) {
      expect(await limiter.retryAfterSeconds('k')).toBe(0);
      await limiter.recordFailure('k');
      advance(10_000);
    }
    expect(await limiter.retryAfterSeconds('k')).toBe(30); // first failure at 0 leaves the window at 60 s
    expect(await limiter.retryAfterSeconds('other')).toBe(0);
  });

  it('slides: old failures stop counting', async () => {
    const { limiter, advance } = setup();
    await limiter.recordFailure('k');
    advance(59_000);
    await limiter.recordFailure('k');
    await limiter.recordFailure('k');
    expect(await limiter.retryAfterSeconds('k')).toBe(1);
    advance(1_000);
    expect(await limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('forgets a key on reset', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.recordFailure('k');
    await limiter.reset('k');
    expect(await limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('bounds the number of tracked keys', async () => {
    const limiter = new FailureLimiter({ maxFailures: 1, maxKeys: 2, now: () => 0 });
    await limiter.recordFailure('a');
    await limiter.recordFailure('b');
    await limiter.recordFailure('c');
    expect(await limiter.retryAfterSeconds('a')).toBe(0);
    expect(await limiter.retryAfterSeconds('b')).toBeGreaterThan(0);
    expect(await limiter.retryAfterSeconds('c')).toBeGreaterThan(0);
  });
});
