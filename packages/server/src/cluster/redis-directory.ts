import type { ChainableCommander, Redis } from 'ioredis';
import type { Directory, Located } from './directory.js';
import { keys } from './keys.js';

/** An ID is not given out again for this long after it was used (docs/protocol.md §2). */
export const RETIRE_MS = 24 * 60 * 60_000;

/** Claims an ID: fails if it is live anywhere or was given out (and so marked used) within RETIRE_MS. */
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Retires an ID this node holds: no longer live, and used for another RETIRE_MS from now. */
const RETIRE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * The live ID directory in Redis. `fernhilfe:id:live:<id>` names the node holding a waiting or
 * active customer (TTL refreshed by that node's heartbeat, so a dead node's IDs expire);
 * `fernhilfe:id:used:<id>` marks every ID given out within 24 h. The claim sets both in one script,
 * so two nodes can never give out the same ID, and an ID whose node died is not given out again
 * within 24 h either.
 */
export class RedisDirectory implements Directory {
  /** IDs this node holds now (their live keys are refreshed by the heartbeat) */
  private readonly own = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly ttlMs: number,
    private readonly isAlive: (node: string) => Promise<boolean>,
  ) {}

  async claim(id: string): Promise<boolean> {
    const ok = (await this.redis.eval(CLAIM, 2, keys.liveId(id), keys.usedId(id), this.nodeId, this.ttlMs, RETIRE_MS)) === 1;
    if (ok) this.own.add(id);
    return ok;
  }

  retire(id: string): void {
    this.own.delete(id);
    this.redis.eval(RETIRE, 2, keys.liveId(id), keys.usedId(id), this.nodeId, RETIRE_MS).catch(() => undefined);
  }

  async locate(id: string): Promise<Located> {
    const [live, used] = await Promise.all([this.redis.get(keys.liveId(id)), this.redis.exists(keys.usedId(id))]);
    if (live && live !== this.nodeId) return (await this.isAlive(live)) ? { node: live } : 'retired';
    return used === 1 && live !== this.nodeId ? 'retired' : 'unknown';
  }

  /** This node let the session of `id` go (drained): its live key is not renewed any more, and not retired either. */
  release(id: string): void {
    this.own.delete(id);
  }

  /** This node took the session of `id` over (the adoption set its live key): renewed from now on. */
  adopted(id: string): void {
    this.own.add(id);
  }

  /** Adds the refresh of this node's live IDs to the heartbeat's pipeline. */
  refresh(pipeline: ChainableCommander): void {
    for (const id of this.own) pipeline.set(keys.liveId(id), this.nodeId, 'PX', this.ttlMs);
  }

  get size(): number {
    return this.own.size;
  }
}
