import { describe, expect, it } from 'vitest';
import { RegisterLimits } from './register-limits.js';

describe('RegisterLimits', () => {
  it('lets an address register its limit per window, then says how long to wait', () => {
    let now = 1_000_000;
    const limits = new RegisterLimits({ perAddress: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => limits.take('203.0.113.7'))).toEqual([0, 0, 0]);
    expect(limits.take('203.0.113.7')).toBe(60_000);
    expect(limits.take('203.0.113.8')).toBe(0);
    now += 60_001;
    expect(limits.take('203.0.113.7')).toBe(0);
  });

  it('counts a whole IPv6 /64 together, so rotating addresses inside it does not help', () => {
    const limits = new RegisterLimits({ perAddress: 2, perNetwork: 5, now: () => 0 });
    const taken = Array.from({ length: 10 }, (_, i) => limits.take(`2001:db8:1:2::${i + 1}`));
    expect(taken.filter((w) => w === 0)).toHaveLength(5);
    expect(limits.take('2001:db8:1:3::1')).toBe(0);
  });
});
