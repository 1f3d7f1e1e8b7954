import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { decodeBusMessage, decodeJsonBody, encodeBusMessage, Op, openMetaSchema, type OpenMeta } from './bus-codec.js';
import { keys } from './keys.js';

/** One end of a link: a forwarded connection (on the node with the WebSocket) or its stand-in (on the home node). */
export interface LinkEnd {
  /** the node at the other end of the link */
  readonly node: string;
  onBusMessage(op: Op, body: Buffer): void;
  /** the node at the other end stopped answering */
  onNodeLost(): void;
  /** this node is drained: a forwarded connection closes its socket (true), a stand-in stays */
  drain?(): boolean;
}

export interface ClusterBusOptions {
  /** for PUBLISH (auto-pipelined) */
  pub: Redis;
  /** a connection of its own in subscriber mode */
  sub: Redis;
  nodeId: string;
  log: Logger;
  /** another node handed a connection to this one */
  onOpen(link: string, meta: OpenMeta): void;
}

/**
 * The cluster bus: one Redis pub/sub channel per node, carrying the messages of every link between
 * two nodes (bus-codec.ts). Messages on one link arrive in order (one publishing connection per node,
 * one channel). A message for an unknown link is dropped.
 */
/** Bytes published but not yet confirmed by Redis above which the sending sockets are paused. */
export const PUBLISH_HIGH_WATER = 8 * 1024 * 1024;

export class ClusterBus {
  private readonly links = new Map<string, LinkEnd>();
  /** bytes handed to PUBLISH whose reply has not come yet (Redis or the network is behind) */
  private pending = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly opts: ClusterBusOptions) {}

  async start(): Promise<void> {
    this.opts.sub.on('messageBuffer', (_channel: Buffer, data: Buffer) => this.receive(data));
    await this.opts.sub.subscribe(keys.bus(this.opts.nodeId));
  }

  /** Publishes one message; false when Redis is not connected (the caller gives the link up rather than queue without bound). */
  send(node: string, op: Op, link: string, body?: Uint8Array): boolean {
    if (this.opts.pub.status !== 'ready') return false;
    const message = encodeBusMessage(op, link, body);
    this.pending += message.byteLength;
    this.opts.pub
      .publish(keys.bus(node), message)
      .catch((err: unknown) => this.opts.log.warn({ err, node }, 'publishing on the cluster bus failed'))
      .finally(() => {
        this.pending -= message.byteLength;
        if (this.pending < PUBLISH_HIGH_WATER / 2) for (const wake of this.waiting.splice(0)) wake();
      });
    return true;
  }

  /** Publishing is behind: the senders of PEER frames should stop reading until `drained()`. */
  get backedUp(): boolean {
    return this.pending >= PUBLISH_HIGH_WATER;
  }

  /** Resolves when what waits for Redis is below half the high-water mark. */
  drained(): Promise<void> {
    if (this.pending < PUBLISH_HIGH_WATER / 2) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  add(link: string, end: LinkEnd): void {
    this.links.set(link, end);
  }

  remove(link: string): void {
    this.links.delete(link);
  }

  get size(): number {
    return this.links.size;
  }

  /** The nodes this node has links with (to watch their liveness). */
  peers(): Set<string> {
    return new Set([...this.links.values()].map((l) => l.node));
  }

  /** Drain: every link whose WebSocket is on this node is closed so that its endpoint resumes elsewhere. */
  drainForwarded(): number {
    let n = 0;
    for (const end of [...this.links.values()]) if (end.drain?.()) n++;
    return n;
  }

  /** `node` died: every link with it is told. */
  nodeLost(node: string): void {
    for (const end of [...this.links.values()]) if (end.node === node) end.onNodeLost();
  }

  private receive(data: Buffer): void {
    const msg = decodeBusMessage(data);
    if (!msg) return this.opts.log.warn({ bytes: data.byteLength }, 'dropped a malformed cluster bus message');
    if (msg.op === Op.open) {
      const meta = decodeJsonBody(openMetaSchema, msg.body);
      if (!meta || this.links.has(msg.link)) return this.opts.log.warn({ link: msg.link }, 'dropped a bad cluster link open');
      return this.opts.onOpen(msg.link, meta);
    }
    this.links.get(msg.link)?.onBusMessage(msg.op, msg.body);
  }
}
