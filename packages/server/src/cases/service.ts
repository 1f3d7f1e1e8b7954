import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CaseJoin, SupportCase } from '@fernhilfe/protocol';
import type { AuditLog } from '../audit/log.js';
import type { Actor, CaseEvent } from '../audit/events.js';
import type { Logger } from '../logger.js';
import type { Schema } from '../storage/schema.js';
import { CaseStore, type CaseRow } from './store.js';

export interface CaseChange {
  caseId: string;
  /** `arrived`: a customer joined and waits (the console rings) */
  kind: 'created' | 'arrived' | 'left' | 'taken' | 'assigned' | 'closed' | 'expired';
}

export interface CaseServiceOptions {
  db: Kysely<Schema>;
  audit: AuditLog;
  log: Logger;
  ttlMs: number;
  now?: () => number;
}

export type CaseFailure = 'not-found' | 'conflict';

/**
 * Support cases (docs/cases.md): the queue's store, its audit entries, and a feed of changes for the
 * consoles connected to this node. Holds no secret: the customer's join is checked against the
 * stored join proof, which is a slow-KDF output of the secret.
 */
export class CaseService {
  readonly store: CaseStore;
  private readonly listeners = new Set<(change: CaseChange) => void>();
  private readonly now: () => number;

  constructor(private readonly opts: CaseServiceOptions) {
    this.store = new CaseStore(opts.db);
    this.now = opts.now ?? Date.now;
  }

  /** Listens to changes on this node; returns the unsubscribe. */
  subscribe(listener: (change: CaseChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async create(input: { id: string; customerName: string; note: string; joinProof: string }, userId: string): Promise<SupportCase | undefined> {
    const now = this.now();
    const created = await this.store.create({ ...input, createdBy: userId, createdAt: now, expiresAt: now + this.opts.ttlMs });
    if (!created) return undefined;
    await this.record('case-created', `technician:${userId}`, { caseId: input.id });
    this.changed({ caseId: input.id, kind: 'created' });
    return this.view(input.id);
  }

  async list(): Promise<{ cases: SupportCase[]; technicians: { id: string; name: string }[] }> {
    await this.expireDue();
    const [rows, people] = await Promise.all([this.store.list(), this.people()]);
    const names = new Map(people.map((p) => [p.id, p.name]));
    const technicians = people.filter((p) => !p.disabled).map(({ id, name }) => ({ id, name }));
    return { cases: rows.map((r) => toView(r, names)), technicians };
  }

  async view(id: string): Promise<SupportCase | undefined> {
    const row = await this.store.get(id);
    if (!row) return undefined;
    const names = new Map((await this.people()).map((p) => [p.id, p.name]));
    return toView(row, names);
  }

  /**
   * The customer's join: the proof must match and the case must wait for a customer. Returns the
   * assignee's display name, or undefined (unknown, expired, used, wrong proof: all alike).
   */
  async join(join: CaseJoin, customerId: string): Promise<string | undefined> {
    const row = await this.store.get(join.id);
    if (!row || !sameHex(row.join_proof, join.proof)) return undefined;
    if (!(await this.store.arrive(join.id, customerId, join.description, this.now()))) return undefined;
    this.changed({ caseId: join.id, kind: 'arrived' });
    return (await this.people()).find((p) => p.id === row.assigned_to)?.name ?? '';
  }

  /** The customer's connection of a case ended (before or after a session). */
  async left(caseId: string, customerId: string): Promise<void> {
    await this.store.left(caseId, customerId, this.now());
    this.changed({ caseId, kind: 'left' });
  }

  async take(id: string, userId: string): Promise<string | CaseFailure> {
    await this.expireDue();
    if (!(await this.store.get(id))) return 'not-found';
    const customerId = await this.store.take(id, userId, this.now());
    if (!customerId) return 'conflict';
    await this.record('case-taken', `technician:${userId}`, { caseId: id, customerId });
    this.changed({ caseId: id, kind: 'taken' });
    return customerId;
  }

  async assign(id: string, to: string, userId: string): Promise<SupportCase | CaseFailure> {
    if (!(await this.store.get(id))) return 'not-found';
    const target = (await this.people()).find((p) => p.id === to && !p.disabled);
    if (!target || !(await this.store.assign(id, to))) return 'conflict';
    await this.record('case-assigned', `technician:${userId}`, { caseId: id, to });
    this.changed({ caseId: id, kind: 'assigned' });
    return (await this.view(id))!;
  }

  async close(id: string, note: string, userId: string): Promise<SupportCase | CaseFailure> {
    if (!(await this.store.get(id))) return 'not-found';
    if (!(await this.store.close(id, note, this.now()))) return 'conflict';
    await this.record('case-closed', `technician:${userId}`, { caseId: id });
    this.changed({ caseId: id, kind: 'closed' });
    return (await this.view(id))!;
  }

  /** Waiting cases past CASE_TTL_HOURS expire (each with an audit entry). */
  async expireDue(): Promise<void> {
    for (const caseId of await this.store.expireDue(this.now())) {
      await this.record('case-expired', 'server', { caseId });
      this.changed({ caseId, kind: 'expired' });
    }
  }

  private async people(): Promise<{ id: string; name: string; disabled: boolean }[]> {
    const rows = await this.opts.db.selectFrom('users').select(['id', 'display_name', 'login', 'disabled_at']).execute();
    return rows.map((r) => ({ id: r.id, name: r.display_name || r.login, disabled: r.disabled_at !== null }));
  }

  private async record(event: CaseEvent, actor: Actor, data: Record<string, string>): Promise<void> {
    await this.opts.audit.append({ sessionId: null, event, actor, data });
  }

  private changed(change: CaseChange): void {
    this.opts.log.info({ caseId: change.caseId, change: change.kind }, 'support case changed');
    for (const listener of this.listeners) listener(change);
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

function toView(r: CaseRow, names: Map<string, string>): SupportCase {
  const person = (id: string) => ({ id, name: names.get(id) ?? id });
  return {
    id: r.id,
    customerName: r.customer_name,
    note: r.note,
    createdBy: person(r.created_by),
    assignee: person(r.assigned_to),
    state: r.state,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    arrivedAt: r.arrived_at,
    takenAt: r.taken_at,
    closedAt: r.closed_at,
    closeNote: r.close_note,
    description: r.description,
    present: r.state === 'waiting' && r.customer_id !== null,
  };
}
