import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { getLogger } from '../logger.js';
import { CloseCode, WsEndpoint, type Endpoint } from '../relay/endpoint.js';
import type { LimitOptions } from '../rendezvous/limits.js';
import type { Technician } from '../rendezvous/broker.js';
import { AdminChannel, type AdminHandler } from './admin-channel.js';
import { ClusterBus } from './bus.js';
import { newLinkId, type OpenMeta } from './bus-codec.js';
import { ClusterError } from './errors.js';
import type { ClusterPort, HandOffWho, ReleasedSession } from './directory.js';
import { ForwardedConnection } from './forwarded-connection.js';
import { NodeLiveness } from './node-liveness.js';
import { RedisDirectory } from './redis-directory.js';
import { RedisSessionStore, type AdoptResult } from './redis-session-store.js';
import { RedisConnectLimits } from './redis-limits.js';
import { RedisSignInLimiter } from './redis-sign-in-limiter.js';
import { RemoteEndpoint } from './remote-endpoint.js';
import { SignedTickets } from './signed-tickets.js';

export interface ClusterOptions {
  redisUrl: string;
  nodeId: string;
  nodeTtlMs: number;
  /** how long a session waits for a lost side (RESUME_GRACE_MS): a dead home's session records outlive it by this */
  resumeGraceMs: number;
  log: Logger;
}

/** What a node takes handed-off connections with: the broker's two entry points. */
export interface ConnectionSink {
  addCustomer(endpoint: Endpoint): void;
  addTechnician(endpoint: Endpoint, user: Technician): void;
}

/**
 * Several server nodes on one Redis (REDIS_URL): a shared ID directory, shared brute-force limits,
 * tickets any node redeems, node liveness, and the cluster bus that forwards a connection to the
 * node that holds its session (its *home*). A session always lives on the customer's home node;
 * a technician (or a resuming endpoint) who reaches another node is forwarded there, frames unread.
 * docs/deployment.md explains it for operators.
 */
export class Cluster implements ClusterPort {
  private sink: ConnectionSink | undefined;
  private adminHandler: AdminHandler | undefined;
  /** admin requests to every node: live sessions, ending sessions (set in start()) */
  admin!: AdminChannel;
  private adminSub!: Redis;
  /** set by drain(): this node takes no session over and lets its own go */
  draining = false;

  private constructor(
    readonly nodeId: string,
    private readonly redis: Redis,
    private readonly sub: Redis,
    readonly directory: RedisDirectory,
    readonly tickets: SignedTickets,
    /** active sessions' shared state (the broker's ResumeStore), for a new home when this node goes */
    readonly sessions: RedisSessionStore,
    private readonly bus: ClusterBus,
    private readonly liveness: NodeLiveness,
    private readonly log: Logger,
  ) {}

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const log = getLogger(opts.log, 'cluster', { node: opts.nodeId });
    const connect = (name: string) => {
      const r = new Redis(opts.redisUrl, { connectionName: `fernhilfe-${opts.nodeId}-${name}`, lazyConnect: true, enableAutoPipelining: name === 'main', maxRetriesPerRequest: 2 });
      r.on('error', (err: Error) => log.warn({ err: err.message, connection: name }, 'redis connection error'));
      return r;
    };
    const redis = connect('main');
    const sub = connect('bus');
    const adminSub = connect('admin');
    try {
      await Promise.all([redis.connect(), sub.connect(), adminSub.connect()]);
    } catch (err) {
      redis.disconnect();
      sub.disconnect();
      adminSub.disconnect();
      throw new ClusterError('unreachable', `Cannot connect to Redis at ${redactRedisUrl(opts.redisUrl)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const tickets = await SignedTickets.load(redis);
    // the bus delivers hand-offs to the cluster once it exists
    const ready: { cluster?: Cluster } = {};
    const bus = new ClusterBus({ pub: redis, sub, nodeId: opts.nodeId, log, onOpen: (link, meta) => ready.cluster?.accept(link, meta) });
    const liveness: NodeLiveness = new NodeLiveness({
      redis,
      nodeId: opts.nodeId,
      ttlMs: opts.nodeTtlMs,
      log,
      refresh: (p) => {
        directory.refresh(p);
        sessions.refresh(p);
        tickets.reseed(p);
      },
      peers: () => bus.peers(),
      lost: (node) => bus.nodeLost(node),
    });
    const directory = new RedisDirectory(redis, opts.nodeId, opts.nodeTtlMs, (node) => liveness.isAlive(node));
    const sessions = new RedisSessionStore(redis, opts.nodeId, opts.nodeTtlMs, opts.resumeGraceMs);
    const cluster = new Cluster(opts.nodeId, redis, sub, directory, tickets, sessions, bus, liveness, log);
    ready.cluster = cluster;
    cluster.adminSub = adminSub;
    cluster.admin = await AdminChannel.start({ pub: redis, sub: adminSub, nodeId: opts.nodeId, handler: () => cluster.adminHandler, log });
    await bus.start();
    await liveness.start();
    log.info({ redis: redactRedisUrl(opts.redisUrl) }, 'joined the cluster');
    return cluster;
  }

  /** Brute-force limits shared by all nodes. */
  limits(opts: LimitOptions): RedisConnectLimits {
    return new RedisConnectLimits(this.redis, opts);
  }

  /** The console's sign-in failure limiter, shared by all nodes. */
  signInLimiter(): RedisSignInLimiter {
    return new RedisSignInLimiter(this.redis);
  }

  /** Where handed-off connections go (the broker, once it exists), and who answers admin requests. */
  serve(sink: ConnectionSink & AdminHandler): void {
    this.sink = sink;
    this.adminHandler = sink;
  }

  /** links this node has with others now (forwarded connections and their stand-ins) */
  get links(): number {
    return this.bus.size;
  }

  handOff(endpoint: Endpoint, node: string, who: HandOffWho, first: Uint8Array): void {
    // a connection forwarded from another node goes back there and is handed on from there (one hop only)
    if (endpoint instanceof RemoteEndpoint) return endpoint.redirect(node, first);
    if (!(endpoint instanceof WsEndpoint)) return endpoint.close(CloseCode.internal, 'this connection cannot be handed to another server node');
    const link = newLinkId();
    const meta: OpenMeta = { from: this.nodeId, ip: endpoint.ip, who, first: Buffer.from(first).toString('utf8') };
    const rehome = (to: string, again: Uint8Array) => (to === this.nodeId ? this.takeBack(endpoint, who, again) : this.handOff(endpoint, to, who, again));
    new ForwardedConnection(this.bus, endpoint, node, link, getLogger(this.log, 'forward', { link }), rehome, () => this.resumable(first, who.role)).open(meta);
  }

  /** Takes over a session whose home is dead or drained: from now on this node renews its live ID and record. */
  async adopt(customerId: string, from: string): Promise<AdoptResult> {
    if (this.draining) return 'elsewhere';
    const result = await this.sessions.adopt(customerId, from);
    if (result === 'adopted') this.directory.adopted(customerId);
    return result;
  }

  /** This node is drained: the session is let go in Redis, so another node may adopt it at once. */
  async release(customerId: string, last: ReleasedSession): Promise<void> {
    this.directory.release(customerId);
    await this.sessions.release(customerId, last);
  }

  /**
   * Drain: every connection this node forwards to another home is closed with "service restart" (its
   * home waits for it to resume, through another node). Returns how many.
   */
  closeForwarded(): number {
    return this.bus.drainForwarded();
  }

  /** The sessions of `ids` that are still this node's in Redis (not adopted elsewhere yet). */
  async stillHere(ids: readonly string[]): Promise<string[]> {
    const here = await Promise.all(ids.map((id) => this.sessions.isHome(id)));
    return ids.filter((_, i) => here[i]);
  }

  /**
   * The home of a forwarded connection died: can its endpoint resume its session through another node
   * (then its socket is closed so that it does), or is the session lost (then it is told so)?
   */
  private async resumable(first: Uint8Array, role: HandOffWho['role']): Promise<boolean> {
    const id = customerIdOf(first);
    const record = id ? await this.sessions.get(id).catch(() => undefined) : undefined;
    return Boolean(record && !record.ended && record.keys[role] && record.keys.customer && record.keys.technician);
  }

  /** A redirect to this very node: the connection is handled here again, like a new one. */
  private takeBack(endpoint: WsEndpoint, who: HandOffWho, first: Uint8Array): void {
    if (!this.sink) return endpoint.close(CloseCode.internal, 'not ready');
    if (who.role === 'customer') this.sink.addCustomer(endpoint);
    else this.sink.addTechnician(endpoint, who.user);
    endpoint.receiveControl(first);
  }

  /** Leaves the cluster: no more heartbeats (other nodes end their links with this one at once: they get `close`). */
  async close(): Promise<void> {
    await this.liveness.stop().catch((err: unknown) => this.log.warn({ err }, 'removing the node key failed'));
    await Promise.all([this.redis.quit(), this.sub.quit(), this.adminSub.quit()]).catch(() => undefined);
  }

  private accept(link: string, meta: OpenMeta): void {
    if (!this.sink) return;
    const remote = new RemoteEndpoint(this.bus, meta.from, link, meta.ip, getLogger(this.log, 'remote', { link, from: meta.from, role: meta.who.role }));
    this.bus.add(link, remote);
    if (meta.who.role === 'customer') this.sink.addCustomer(remote);
    else this.sink.addTechnician(remote, meta.who.user);
    remote.deliverControl(Buffer.from(meta.first, 'utf8'));
  }
}

/** The customer ID named by a `connect` or `resume` message. */
function customerIdOf(first: Uint8Array): string | undefined {
  try {
    const m = JSON.parse(Buffer.from(first).toString('utf8')) as { id?: unknown };
    return typeof m.id === 'string' ? m.id : undefined;
  } catch {
    return undefined;
  }
}

/** A Redis URL without its password, for logs and errors. */
export function redactRedisUrl(url: string): string {
  return url.replace(/(\/\/[^/@]*:)[^/@]*@/, '$1***@');
}
