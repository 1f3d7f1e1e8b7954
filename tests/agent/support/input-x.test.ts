import { describe, expect, it } from 'vitest';
import { until } from './input-x.js';

describe('until (the input tests wait on what the X server shows)', () => {
  it('says true as soon as the condition holds, sync or async', async () => {
    let looks = 0;
    expect(await until(() => ++looks >= 3, 5_000, 10)).toBe(true);
    expect(looks).toBe(3);
    expect(await until(async () => true, 5_000)).toBe(true);
  });

  it('says false when the condition does not hold in time (the caller fails with its own message)', async () => {
    expect(await until(() => false, 100, 10)).toBe(false);
  });
});
