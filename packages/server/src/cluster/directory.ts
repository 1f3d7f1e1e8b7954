import type { Role } from '@fernhilfe/protocol';
import type { Endpoint } from '../relay/endpoint.js';
import type { AdoptResult } from './redis-session-store.js';

/** Where a customer ID is, as far as the directory knows (this node's own live IDs are in the broker's registry). */
export type Located =
  /** live on another node: hand the connection there */
  | { node: string }
  /** given out and ended (or its node died) within the last 24 h: the customer is gone */
  | 'retired'
  /** never given out (or long ago) */
  | 'unknown';

/**
 * The ID directory shared by all nodes. With one node it has nothing to add to the broker's own
 * registry (`MemoryDirectory`); with several it lives in Redis (`RedisDirectory`): an ID is claimed
 * atomically, so it is never given to two customers at once, and not again within 24 h.
 */
export interface Directory {
  /** Claims `id` for a customer on this node; false when it is live anywhere or was given out in the last 24 h. */
  claim(id: string): Promise<boolean>;
  /** The registration under `id` ended: nobody reaches it any more, and it is not given out again for 24 h. */
  retire(id: string): void;
  /** Where an ID this node does not hold is. */
  locate(id: string): Promise<Located>;
}

/** One node: the broker's registry is the whole directory. */
export class MemoryDirectory implements Directory {
  async claim(): Promise<boolean> {
    return true;
  }

  retire(): void {}

  async locate(): Promise<Located> {
    return 'unknown';
  }
}

/** Who a handed-off connection is; a technician's identity was checked (ticket) by the node that hands it off. */
export type HandOffWho = { role: 'customer' } | { role: 'technician'; user: { userId: string; displayName: string; company: string } };

/** What the broker needs from the cluster besides the directory. */
export interface ClusterPort {
  directory: Directory;
  /**
   * Another node holds the ID this connection asks for (`connect` or `resume`): from now on this
   * node only forwards the connection's frames, unread, to `node`, which handles `first` (the
   * message that named the ID) as if the connection were its own.
   */
  handOff(endpoint: Endpoint, node: string, who: HandOffWho, first: Uint8Array): void;
  /** Takes over a session whose home `from` is dead or drained (the shared record in Redis); absent with one node. */
  adopt?(customerId: string, from: string): Promise<AdoptResult>;
  /** This node is drained: it lets the session go (another node adopts it), with what it knows last. */
  release?(customerId: string, last: ReleasedSession): Promise<void>;
  /** set while this node is drained: it adopts nothing and lets its sessions go */
  readonly draining?: boolean;
  /** this node's NODE_ID */
  readonly nodeId?: string;
}

/** What a drained home writes last for its session's new home. */
export interface ReleasedSession {
  path: number;
  relayedBytes: number;
  reports: Record<Role, number>;
  sessionId: string;
}
