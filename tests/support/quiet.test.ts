import { describe, expect, it } from 'vitest';
import { expectNothingFor, holdStill } from './quiet.js';

describe('the named fixed waits', () => {
  it('expectNothingFor passes while the check holds throughout, and looks more than once', async () => {
    let looks = 0;
    await expectNothingFor(120, 'the counter stays at zero', () => {
      looks++;
      expect(0).toBe(0);
    }, 30);
    expect(looks, 'it looks at the start and again at the end').toBeGreaterThanOrEqual(2);
  });

  it('expectNothingFor fails as soon as something happens during the watch, naming what should have stayed', async () => {
    const seen: string[] = [];
    setTimeout(() => seen.push('a late key'), 40);
    const err = await expectNothingFor(2_000, 'keys after take back control do not reach the screen', () => expect(seen).toEqual([]), 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^something happened \d+ ms into the 2000 ms watch that keys after take back control do not reach the screen: /);
    expect(seen).toEqual(['a late key']);
  });

  it('holdStill needs a reason', async () => {
    await expect(holdStill(1, ' ')).rejects.toThrow(/needs a reason/);
    await expect(holdStill(1, 'the back-off the server asked for')).resolves.toBeUndefined();
  });
});
