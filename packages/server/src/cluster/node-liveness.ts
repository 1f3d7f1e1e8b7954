import type { ChainableCommander, Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { keys } from './keys.js';

export interface NodeLivenessOptions {
  redis: Redis;
  nodeId: string;
  /** a node whose key is older than this is dead (CLUSTER_NODE_TTL_MS); the heartbeat runs every third of it */
  ttlMs: number;
  log: Logger;
  /** adds what else must be refreshed with each heartbeat (this node's live IDs) */
  refresh(pipeline: ChainableCommander): void;
  /** the nodes this node has links with */
  peers(): Iterable<string>;
  /** one of them died */
  lost(node: string): void;
}

/**
 * Node liveness: `fernhilfe:node:<id>` exists while the node beats (SET with a TTL every ttl/3).
 * Each beat also checks the nodes this node has links with; a node whose key expired is dead, and
 * its links end. A node that was stopped cleanly deletes its key at once.
 */
export class NodeLiveness {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private beats = 0;

  constructor(private readonly opts: NodeLivenessOptions) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void (this.beating ??= this.beat().finally(() => (this.beating = undefined))), Math.max(100, Math.floor(this.opts.ttlMs / 3)));
    this.timer.unref();
  }

  async isAlive(node: string): Promise<boolean> {
    return (await this.opts.redis.exists(keys.node(node))) === 1;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.opts.redis.del(keys.node(this.opts.nodeId));
  }

  private async beat(): Promise<void> {
    const { redis, nodeId, ttlMs, log } = this.opts;
    try {
      const pipeline = redis.pipeline().set(keys.node(nodeId), String(Date.now()), 'PX', ttlMs, 'GET');
      this.opts.refresh(pipeline);
      const [renewed] = (await pipeline.exec()) ?? [];
      const peers = [...this.opts.peers()];
      if (this.beats++ > 0 && renewed && !renewed[0] && renewed[1] === null) {
        // this node missed its heartbeats (a long pause, Redis unreachable): the others took it for
        // dead and ended their links with it, so it ends its side of them too
        log.warn({ peers: peers.length }, 'this node was taken for dead by the cluster: ending its links with other nodes');
        for (const node of peers) this.opts.lost(node);
        return;
      }
      if (peers.length === 0) return;
      const check = redis.pipeline();
      for (const node of peers) check.exists(keys.node(node));
      const alive = (await check.exec()) ?? [];
      peers.forEach((node, i) => {
        const [err, exists] = alive[i] ?? [new Error('no reply'), 1];
        if (!err && exists === 0) {
          log.warn({ node }, 'a cluster node stopped beating: ending its links');
          this.opts.lost(node);
        }
      });
    } catch (err) {
      log.error({ err }, 'cluster heartbeat failed');
    }
  }
}
