import { describe, expect, it } from 'vitest';
import { P2P_MAX_ATTEMPT } from '@fernhilfe/protocol';
import { directGeneration, fallbackGeneration, generationOf, routePath } from './route-path.js';

describe('route path numbers', () => {
  it('generation 0 is the server path unchanged (sessions without P2P behave as before)', () => {
    expect(routePath(0, 7)).toBe(7);
    expect(generationOf(0x7fffffff)).toBe(0);
  });

  it('every route of every attempt gets its own number, and the generation reads back', () => {
    const seen = new Set<number>();
    for (let k = 1; k <= P2P_MAX_ATTEMPT; k++) {
      for (const [gen, server] of [[directGeneration(k), 3], [fallbackGeneration(k), 3], [fallbackGeneration(k), 4]] as const) {
        const path = routePath(gen, server);
        expect(path).toBeLessThanOrEqual(0xffffffff);
        expect(generationOf(path)).toBe(gen);
        seen.add(path);
      }
    }
    expect(seen.size).toBe(3 * P2P_MAX_ATTEMPT);
    // the direct route ignores the server's path (it does not go through the server)
    expect(routePath(directGeneration(2), 1)).toBe(routePath(directGeneration(2), 9));
  });
});
