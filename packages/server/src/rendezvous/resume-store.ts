import type { EndReason, Role } from '@fernhilfe/protocol';

/**
 * What another node needs to take a session over when its home node is drained or dies
 * (docs/deployment.md, "Sessions that survive a node"). Public values and bookkeeping only: never a
 * password, a key or anything derived from one (the relay holds no session keys).
 */
export interface SessionContext {
  /** the node that holds the session now */
  home: string;
  technician: { userId: string; displayName: string; company: string };
  /** the support_sessions row (audit, receipt), once it exists */
  sessionId?: string;
  /** when the session was authenticated (ms since the epoch) */
  since: number;
  /** the last path number the home gave out (docs/protocol.md §8.3); a new home goes on from there */
  path?: number;
  /** PEER bytes relayed by earlier homes (the report counts the whole session) */
  relayedBytes?: number;
  /** reports each side sent so far (the report quota holds across homes) */
  reports?: Record<Role, number>;
  /** the home was drained and let the session go: another node may adopt it at once */
  released?: boolean;
}

/**
 * What the server must know to let an endpoint take its side of an active session back after its
 * connection dropped: who the technician is, and each side's resume public key (public values only;
 * the server never holds a secret that could resume a session). One node keeps it in memory; several
 * nodes keep it in Redis (cluster/redis-session-store.ts), so that any node can take the resumed
 * connection, and adopt the session when its home is gone.
 */
export interface ResumeRecord {
  customerId: string;
  technicianUserId: string;
  /** Ed25519 public keys in hex, set once per side by `resume-key` */
  keys: Partial<Record<Role, string>>;
  /** set when the session ended: a side that was away then learns why (after proving its key), nothing resumes */
  ended?: { by: Role | 'server'; reason: EndReason };
  /** with several nodes: what a new home needs */
  context?: SessionContext;
}

export interface ResumeStore {
  /** A session became active: it may be resumed once its sides have sent their keys. */
  create(customerId: string, technicianUserId: string, context?: SessionContext): Promise<void>;
  /** Stores a side's key; false when there is no such session or the side already has one. */
  setKey(customerId: string, role: Role, publicKey: string): Promise<boolean>;
  get(customerId: string): Promise<ResumeRecord | undefined>;
  /** The session ended: nothing resumes it any more; the reason is kept for `keepMs`, then forgotten. */
  end(customerId: string, ended: NonNullable<ResumeRecord['ended']>, keepMs: number): Promise<void>;
  /** Updates the session's context as it changes (audit row, path, reports); a store without context ignores it. */
  annotate(customerId: string, patch: Partial<Omit<SessionContext, 'home' | 'technician' | 'released'>>): void;
}

export class MemoryResumeStore implements ResumeStore {
  private readonly records = new Map<string, ResumeRecord>();

  async create(customerId: string, technicianUserId: string): Promise<void> {
    this.records.set(customerId, { customerId, technicianUserId, keys: {} });
  }

  async setKey(customerId: string, role: Role, publicKey: string): Promise<boolean> {
    const record = this.records.get(customerId);
    if (!record || record.keys[role] !== undefined) return false;
    record.keys[role] = publicKey;
    return true;
  }

  async get(customerId: string): Promise<ResumeRecord | undefined> {
    const record = this.records.get(customerId);
    return record && { ...record, keys: { ...record.keys } };
  }

  async end(customerId: string, ended: NonNullable<ResumeRecord['ended']>, keepMs: number): Promise<void> {
    const record = this.records.get(customerId);
    if (!record) return;
    record.ended = ended;
    setTimeout(() => this.records.delete(customerId), keepMs).unref();
  }

  annotate(): void {}

  get size(): number {
    return this.records.size;
  }
}
