import type { EndReason, Role } from '@fernhilfe/protocol';

/**
 * What the server must know to let an endpoint take its side of an active session back after its
 * connection dropped: who the technician is, and each side's resume public key (public values only;
 * the server never holds a secret that could resume a session). One node keeps it in memory; a later
 * issue keeps it in Redis so that any node can take the resumed connection, hence the async interface.
 */
export interface ResumeRecord {
  customerId: string;
  technicianUserId: string;
  /** Ed25519 public keys in hex, set once per side by `resume-key` */
  keys: Partial<Record<Role, string>>;
  /** set when the session ended: a side that was away then learns why (after proving its key), nothing resumes */
  ended?: { by: Role | 'server'; reason: EndReason };
}

export interface ResumeStore {
  /** A session became active: it may be resumed once its sides have sent their keys. */
  create(customerId: string, technicianUserId: string): Promise<void>;
  /** Stores a side's key; false when there is no such session or the side already has one. */
  setKey(customerId: string, role: Role, publicKey: string): Promise<boolean>;
  get(customerId: string): Promise<ResumeRecord | undefined>;
  /** The session ended: nothing resumes it any more; the reason is kept for `keepMs`, then forgotten. */
  end(customerId: string, ended: NonNullable<ResumeRecord['ended']>, keepMs: number): Promise<void>;
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

  get size(): number {
    return this.records.size;
  }
}
