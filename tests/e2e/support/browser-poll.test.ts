import { describe, expect, it } from 'vitest';
import { poll } from './browser.js';

describe('poll (the end-to-end tests wait on what a page shows)', () => {
  it('returns the first truthy value once the condition holds', async () => {
    let looks = 0;
    const { value } = await poll(async () => (++looks >= 3 ? 'the canvas is blue' : null), 5_000, 'the canvas to turn blue', 10);
    expect(value).toBe('the canvas is blue');
    expect(looks).toBe(3);
  });

  it('fails on timeout, naming what it waited for (a function is asked only then, for what was seen last)', async () => {
    let last = '';
    let described = 0;
    const err = await poll(async () => {
      last = 'red';
      return false;
    }, 100, () => {
      described++;
      return `the canvas to turn blue; it shows ${last}`;
    }, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('timed out after 100 ms waiting for the canvas to turn blue; it shows red');
    expect(described).toBe(1);
  });
});
