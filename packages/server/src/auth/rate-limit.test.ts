import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.js';

describe('FailureLimiter', () => {
  const setup = () => {
    let clock = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => clock });
    return { limiter, advance: (ms: number) => (clock += ms) };
  };

  it('allows attempts until the limit, then says how long to wait', () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('k')).toBe(0);
      limiter.recordFailure('k');
      advance(10_000);
    }
    expect(limiter.retryAfterSeconds('k')).toBe(30); // first failure at 0 leaves the window at 60 s
    expect(limiter.retryAfterSeconds('other')).toBe(0);
  });

  it('slides: old failures stop counting', () => {
    const { limiter, advance } = setup();
    limiter.recordFailure('k');
    advance(59_000);
    limiter.recordFailure('k');
    limiter.recordFailure('k');
    expect(limiter.retryAfterSeconds('k')).toBe(1);
    advance(1_000);
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) limiter.recordFailure('k');
    limiter.reset('k');
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('bounds the number of tracked keys', () => {
    const limiter = new FailureLimiter({ maxFailures: 1, maxKeys: 2, now: () => 0 });
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('b')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('c')).toBeGreaterThan(0);
  });
});
