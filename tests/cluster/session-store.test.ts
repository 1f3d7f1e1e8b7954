import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../packages/server/src/cluster/keys.js';
import { RedisSessionStore } from '../../packages/server/src/cluster/redis-session-store.js';
import { startRedis, type RedisServer } from '@fernhilfe/testkit';

/**
 * The shared session records on a real redis-server (cluster/redis-session-store.ts): who may adopt a
 * session, atomically, and when nobody may.
 */
describe('shared session records in Redis: adoption', () => {
  let redis: RedisServer;
  let client: Redis;
  const technician = { userId: 'u1', displayName: 'Max Mustermann', company: 'Beispiel GmbH' };
  const KEY_C = 'c'.repeat(64);
  const KEY_T = 'd'.repeat(64);
  let next = 100_000_000;

  const store = (node: string) => new RedisSessionStore(client, node, 1500, 20_000);
  /** A session homed on `home` (alive: its node key exists) with both resume keys. */
  const session = async (home: string, alive: boolean) => {
    const id = String(next++);
    const s = store(home);
    await s.create(id, technician.userId, { home, technician, since: 1 });
    expect(await s.setKey(id, 'customer', KEY_C)).toBe(true);
    expect(await s.setKey(id, 'technician', KEY_T)).toBe(true);
    expect(await s.setKey(id, 'technician', KEY_C), 'a key is set once').toBe(false);
    await client.set(keys.liveId(id), home, 'PX', 1500);
    if (alive) await client.set(keys.node(home), '1', 'PX', 60_000);
    else await client.del(keys.node(home));
    return { id, s };
  };

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('nobody adopts a session whose home is alive and holds it; once it is released, one of two racing nodes does, and the live ID follows', async () => {
    const { id, s } = await session('node-a', true);
    expect(await store('node-b').adopt(id, 'node-a')).toBe('elsewhere');
    await s.release(id, { path: 3, relayedBytes: 1000, reports: { customer: 2, technician: 1 }, sessionId: 'sess-1' });
    const results = await Promise.all([store('node-b').adopt(id, 'node-a'), store('node-c').adopt(id, 'node-a')]);
    const winner = results[0] === 'adopted' ? 'node-b' : 'node-c';
    expect([...results].sort()).toEqual(['adopted', 'elsewhere']);
    expect(await client.get(keys.liveId(id))).toBe(winner);
    const record = await store(winner).get(id);
    expect(record?.context?.home).toBe(winner);
    expect(record).toMatchObject({ keys: { customer: KEY_C, technician: KEY_T }, context: { technician, sessionId: 'sess-1', path: 3, relayedBytes: 1000, reports: { customer: 2, technician: 1 } } });
    expect(record?.context?.released, 'the new home holds it').toBeUndefined();
    // a node that asks again later is sent to the winner
    expect(await store('node-d').adopt(id, 'node-a')).toBe('elsewhere');
  });

  it('a dead home (its node key expired) can be adopted without a release; an ended session or an unknown ID cannot', async () => {
    const dead = await session('node-x', false);
    expect(await store('node-b').adopt(dead.id, 'node-x')).toBe('adopted');

    const ended = await session('node-y', false);
    await ended.s.end(ended.id, { by: 'technician', reason: 'ended-by-technician' }, 20_000);
    expect(await store('node-b').adopt(ended.id, 'node-y')).toBe('gone');
    expect(await store('node-b').adopt('999999999', 'node-y')).toBe('gone');
  });

  it('a record that is not what a node writes is not believed', async () => {
    const { id } = await session('node-z', false);
    await client.hset(keys.session(id), 'technician', '{"userId":');
    expect(await store('node-b').get(id)).toBeUndefined();
  });
});
