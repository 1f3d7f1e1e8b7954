import type { LiveSession } from '@fernhilfe/protocol';
import type { Actor } from '../audit/events.js';
import type { AuditLog } from '../audit/log.js';
import type { AdminChannel } from '../cluster/admin-channel.js';
import type { Logger } from '../logger.js';
import type { Broker, LocalSession } from '../rendezvous/broker.js';

/** A session that relayed nothing for this long is shown as direct (peer-to-peer): the server cannot tell it from an idle one. */
export const DIRECT_AFTER_MS = 5000;

export interface LiveSessionsOptions {
  broker: Broker;
  /** NODE_ID with several nodes; `local` with one */
  nodeId: string;
  /** with several nodes (REDIS_URL): requests to every node */
  admin?: AdminChannel | undefined;
  audit: AuditLog;
  log: Logger;
  now?: () => number;
}

/**
 * The admins' view of running sessions (issue 18, docs/accounts.md): who is connected to which
 * customer, since when, on which node, relayed or direct, bytes so far; ending one; ending every
 * session of a disabled account. With several nodes every node is asked over the cluster.
 */
export class LiveSessions {
  readonly #opts: LiveSessionsOptions;
  readonly #now: () => number;

  constructor(opts: LiveSessionsOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  async list(): Promise<{ sessions: LiveSession[]; missingNodes: number }> {
    const { admin, broker, nodeId } = this.#opts;
    if (!admin) return { sessions: broker.sessions().map((s) => this.#view(nodeId, s)), missingNodes: 0 };
    const { nodes, missing } = await admin.list();
    const sessions = nodes.flatMap((n) => n.sessions.map((s) => this.#view(n.node, s)));
    sessions.sort((a, b) => a.since - b.since);
    return { sessions, missingNodes: missing };
  }

  /** Ends the session with this customer ID (on any node): both ends are told an admin ended it. False when there is none. */
  async end(customerId: string, actor: Actor): Promise<boolean> {
    const { admin, broker } = this.#opts;
    const before = (await this.list()).sessions.find((s) => s.customerId === customerId);
    const ended = admin ? await admin.endSession(customerId) : broker.endSession(customerId, 'ended-by-admin');
    if (ended) {
      await this.#opts.audit.append({ sessionId: null, event: 'live-session-ended', actor, data: { customerId, technicianUserId: before?.technician.userId ?? null, node: before?.node ?? null } });
      this.#opts.log.info({ customerId, actor }, 'an admin ended a live session');
    }
    return ended;
  }

  /** A disabled account: every session and technician connection of it ends, on every node. */
  async endTechnician(userId: string): Promise<void> {
    const { admin, broker } = this.#opts;
    const ended = admin ? await admin.endTechnician(userId) : broker.endTechnician(userId, 'account-disabled');
    this.#opts.log.info({ technician: userId, sessions: ended }, 'sessions of a disabled account ended');
  }

  /**
   * Ends the connections of accounts disabled behind this server's back (`fernhilfe user disable`
   * writes only the database): run every few seconds; one query, only when technicians are connected.
   */
  async endDisabled(isDisabled: (userIds: string[]) => Promise<string[]>): Promise<void> {
    const connected = [...this.#opts.broker.connectedTechnicians()];
    if (connected.length === 0) return;
    for (const userId of await isDisabled(connected)) this.#opts.broker.endTechnician(userId, 'account-disabled');
  }

  #view(node: string, s: LocalSession): LiveSession {
    const direct = this.#now() - s.lastRelayAt >= DIRECT_AFTER_MS;
    return { customerId: s.customerId, technician: s.technician, since: s.since, node, path: direct ? 'direct' : 'relayed', relayedBytes: s.relayedBytes };
  }
}
