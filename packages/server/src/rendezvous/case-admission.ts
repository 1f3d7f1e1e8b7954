import type { CaseJoin } from '@fernhilfe/protocol';
import type { ConnectLimiter } from './limits.js';

/** The broker's view of support cases (cases/service.ts). */
export interface CasePort {
  /** checks the proof and records the arrival; the assignee's name, or undefined when refused */
  join(join: CaseJoin, customerId: string): Promise<string | undefined>;
  /** the customer's connection of this case ended */
  left(caseId: string, customerId: string): Promise<void>;
}

export type CaseAdmitted = { ok: true; technician: string } | { ok: false; retryAfterMs: number };

/**
 * A customer joining a case proves the case secret like a technician proves a password, so a wrong,
 * unknown, used or expired code counts in the same limits as a wrong password (limits.ts): the case
 * gets the exponential back-off of a target, the address its window of failures (shared with the
 * technicians' connects from there). The customer has no account: the case stands in for one.
 */
export class CaseAdmission {
  constructor(
    private readonly port: CasePort,
    private readonly limits: ConnectLimiter,
  ) {}

  /** Milliseconds until this address may try this case again; 0 now. */
  wait(join: CaseJoin, ip: string): Promise<number> {
    return this.limits.retryAfter(target(join.id), target(join.id), ip);
  }

  async admit(join: CaseJoin, customerId: string, ip: string): Promise<CaseAdmitted> {
    const technician = await this.port.join(join, customerId);
    if (technician !== undefined) return { ok: true, technician };
    await this.limits.recordFailure(target(join.id), target(join.id), ip);
    return { ok: false, retryAfterMs: await this.wait(join, ip) };
  }

  left(caseId: string, customerId: string): Promise<void> {
    return this.port.left(caseId, customerId);
  }
}

const target = (caseId: string) => `case:${caseId}`;
