import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CustomerEndpoint } from '@fernhilfe/client';
import { RedisDirectory } from '../../packages/server/src/cluster/redis-directory.js';
import { startClusterEnv, startNode, type ClusterEnv, type ClusterNode } from './fixture.js';

/** An ID is never given to two customers at once, however the registrations spread over the nodes. */
describe('several nodes on Redis: customer IDs', () => {
  let env: ClusterEnv;
  const nodes: ClusterNode[] = [];

  beforeAll(async () => {
    env = await startClusterEnv();
    nodes.push(await startNode(env, 'node-a', { createUser: true }));
    nodes.push(await startNode(env, 'node-b'));
    nodes.push(await startNode(env, 'node-c'));
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await env?.close();
  });

  it('1,000 registrations spread over three nodes get 1,000 different IDs, each live in Redis on the node that gave it out', async () => {
    const customers: { node: ClusterNode; customer: CustomerEndpoint }[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const node = nodes[(batch * 100 + i) % nodes.length]!;
          return { node, customer: await node.customer() };
        }),
      );
      customers.push(...opened);
    }
    const ids = customers.map((c) => c.customer.id);
    expect(ids.every((id) => /^[1-9]\d{8}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(1000);

    const redis = new Redis(env.redis.url);
    try {
      const owners = await redis.mget(ids.map((id) => `fernhilfe:id:live:${id}`));
      expect(owners).toEqual(customers.map((c) => c.node.name));
      // ending a registration retires its ID everywhere: no longer live, still marked used
      const first = customers[0]!;
      await first.customer.end();
      await vi.waitFor(async () => expect(await redis.exists(`fernhilfe:id:live:${first.customer.id}`), 'the live ID is gone from Redis').toBe(0), { timeout: 5000, interval: 20 });
      expect(await redis.exists(`fernhilfe:id:used:${first.customer.id}`)).toBe(1);
    } finally {
      await redis.quit();
      await Promise.all(customers.map((c) => c.customer.end().catch(() => undefined)));
    }
  }, 120_000);

  it('three directories racing for the same 1,000 IDs: each ID goes to exactly one of them', async () => {
    const clients = [0, 1, 2].map(() => new Redis(env.redis.url));
    try {
      const dirs = clients.map((r, i) => new RedisDirectory(r, `racer-${i}`, 10_000, async () => true));
      const ids = Array.from({ length: 1000 }, (_, i) => String(800_000_000 + i));
      // each directory asks for the IDs in its own random order, all at the same time
      const order = dirs.map(() => [...ids.keys()].sort(() => Math.random() - 0.5));
      const results = await Promise.all(
        dirs.map(async (d, n) => {
          const won: boolean[] = [];
          await Promise.all(order[n]!.map(async (i) => void (won[i] = await d.claim(ids[i]!))));
          return won;
        }),
      );
      const winners = ids.map((_, i) => results.filter((r) => r[i]).length);
      expect(winners.every((w) => w === 1)).toBe(true);
      // a retired ID is not given out again within 24 h, not even by the node that had it
      const won = dirs.findIndex((_, d) => results[d]![0]);
      dirs[won]!.retire(ids[0]!);
      await vi.waitFor(async () => expect(await clients[0]!.exists(`fernhilfe:id:live:${ids[0]}`), 'the retired ID is no longer live').toBe(0), { timeout: 5000, interval: 20 });
      expect(await Promise.all(dirs.map((d) => d.claim(ids[0]!)))).toEqual([false, false, false]);
      expect(await dirs[(won + 1) % 3]!.locate(ids[0]!)).toBe('retired');
    } finally {
      await Promise.all(clients.map((r) => r.quit()));
    }
  });
});
