import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { startClusterEnv, startNode, type ClusterEnv, type ClusterNode } from './fixture.js';

/** POST /api/auth/login over real HTTP, like the console in a browser (same-origin request). */
async function signIn(node: ClusterNode, login: string, password: string) {
  const res = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: node.url },
    body: JSON.stringify({ login, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), setsCookie: res.headers.getSetCookie().length > 0, body: (await res.json()) as { error?: { code: string; retryAfterSeconds?: number } } };
}

/**
 * Two nodes on one real Redis: password guesses spread over both nodes count against one budget,
 * so the 10 failures per login in 15 minutes hold for the whole installation, not per node.
 */
describe('several nodes on Redis: the sign-in failure limit', () => {
  let env: ClusterEnv;
  let a: ClusterNode;
  let b: ClusterNode;

  beforeAll(async () => {
    env = await startClusterEnv();
    a = await startNode(env, 'node-a', { createUser: true });
    b = await startNode(env, 'node-b');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await env?.close();
  });

  it('10 wrong passwords alternating between node A and node B: the right password is then refused on both with 429 and Retry-After', async () => {
    const wrong = (i: number) => `wrong-guess-${i}-Zebra`;
    for (let i = 0; i < 10; i++) {
      const failed = await signIn(i % 2 === 0 ? a : b, TECH_LOGIN, wrong(i));
      expect(failed.status, `guess ${i}`).toBe(401);
      expect(failed.body.error?.code).toBe('invalid_credentials');
    }
    // each node saw only 5 failures: a per-node limiter would let both of these through
    for (const node of [a, b]) {
      const refused = await signIn(node, TECH_LOGIN, TECH_PASSWORD);
      expect(refused.status, node.name).toBe(429);
      const retryAfter = Number(refused.retryAfter);
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(refused.body).toMatchObject({ error: { code: 'rate_limited', retryAfterSeconds: retryAfter } });
      expect(refused.setsCookie).toBe(false);
    }

    // what Redis holds: a login name and an address, with failure times; no password, no guess
    const redis = new Redis(env.redis.url);
    try {
      const stored = (await redis.keys('fernhilfe:signin:*')).sort();
      expect(stored).toEqual(['fernhilfe:signin:ip:127.0.0.1', `fernhilfe:signin:login:${TECH_LOGIN}`]);
      const members = (await Promise.all(stored.map((k) => redis.zrange(k, '0', '-1')))).flat();
      expect(members).toHaveLength(20);
      const everything = (await redis.keys('*')).join('\n') + members.join('\n');
      for (const secret of [TECH_PASSWORD, 'Zebra', 'wrong-guess']) expect(everything).not.toContain(secret);
    } finally {
      await redis.quit();
    }
    for (const node of [a, b]) expect(node.logText()).not.toContain('Zebra');
  });
});
