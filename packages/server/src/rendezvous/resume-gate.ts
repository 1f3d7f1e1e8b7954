import { fromHex, randomNonce, toHex, verifyResumeProof, type Role } from '@fernhilfe/protocol';
import { CloseCode, type Endpoint } from '../relay/endpoint.js';
import type { Logger } from '../logger.js';
import type { LivePairing } from './live-pairing.js';
import { refuse } from './replies.js';
import type { ResumeRecord, ResumeStore } from './resume-store.js';

export interface ResumeGateOptions {
  store: ResumeStore;
  /** the live session of a customer ID on this node */
  live(customerId: string): LivePairing | undefined;
  log: Logger;
  /** how long a connection may take from `resume` to `resume-proof` */
  proofTimeoutMs?: number;
  /**
   * With several nodes: takes over a session whose home node is gone (drained or dead), after a
   * valid proof. `retry`: another node holds it now, or its home is not known to be gone yet.
   */
  adopt?(record: ResumeRecord): Promise<LivePairing | 'retry' | undefined>;
}

/** One resume on one fresh connection: `resume` -> `resume-challenge` -> `resume-proof` -> attached or refused. */
export interface ResumeAttempt {
  prove(signatureHex: string): void;
  cancel(): void;
}

/**
 * Checks that a new connection may take over one side of an active session: it must sign a fresh
 * 32-byte challenge with the side's resume key (Ed25519; the server stores only the public key), and
 * a technician must come with a ticket of the same account. Every failure looks the same from
 * outside (`error{resume-refused}`, close), whether the ID exists or not, and the challenge is sent
 * before anything is looked up, so `resume` tells nobody which IDs are in a session.
 */
export class ResumeGate {
  constructor(private readonly opts: ResumeGateOptions) {}

  begin(endpoint: Endpoint, role: Role, customerId: string, technicianUserId?: string): ResumeAttempt {
    const nonce = randomNonce(32);
    let used = false;
    const timer = setTimeout(() => this.refuse(endpoint, role, customerId, 'no proof in time'), this.opts.proofTimeoutMs ?? 10_000);
    endpoint.sendControl({ type: 'resume-challenge', nonce: toHex(nonce) });
    return {
      prove: (signatureHex) => {
        clearTimeout(timer);
        if (used) return refuse(endpoint, 'bad-message', 'one proof per connection');
        used = true;
        void this.check(endpoint, role, customerId, technicianUserId, nonce, signatureHex).catch((err: unknown) => {
          this.opts.log.error({ err }, 'checking a resume failed');
          this.refuse(endpoint, role, customerId, 'internal');
        });
      },
      cancel: () => clearTimeout(timer),
    };
  }

  private async check(endpoint: Endpoint, role: Role, customerId: string, technicianUserId: string | undefined, nonce: Uint8Array, signatureHex: string): Promise<void> {
    const record = await this.opts.store.get(customerId);
    if (!endpoint.isOpen) return;
    let live = this.opts.live(customerId);
    const key = record?.keys[role];
    const here = live?.isOpen === true || Boolean(this.opts.adopt && record?.context);
    if (!record || !key || (!here && !record.ended)) return this.refuse(endpoint, role, customerId, 'no resumable session');
    if (role === 'technician' && record.technicianUserId !== technicianUserId) return this.refuse(endpoint, role, customerId, 'another account');
    if (!verifyResumeProof(fromHex(key), fromHex(signatureHex), role, customerId, nonce)) return this.refuse(endpoint, role, customerId, 'wrong proof');
    // ended while this side was away: it may learn why (it proved the key), then it is refused like any other
    if (record.ended) {
      endpoint.sendControl({ type: 'ended', by: record.ended.by, reason: record.ended.reason });
      return this.refuse(endpoint, role, customerId, 'the session has ended');
    }
    if (!live?.isOpen) {
      // its home node is gone: this node takes the session over (cluster/, docs/deployment.md)
      const adopted = this.opts.adopt ? await this.opts.adopt(record) : undefined;
      if (adopted === 'retry') return endpoint.isOpen ? endpoint.close(CloseCode.tryAgainLater, 'the session is moving between servers; try again') : undefined;
      if (!adopted?.isOpen) return this.refuse(endpoint, role, customerId, 'the session has ended');
      live = adopted;
      if (!endpoint.isOpen) return;
    }
    live.attach(role, endpoint);
  }

  private refuse(endpoint: Endpoint, role: Role, customerId: string, why: string): void {
    if (!endpoint.isOpen) return;
    this.opts.log.info({ customerId, role, why }, 'resume refused');
    refuse(endpoint, 'resume-refused', 'this session cannot be resumed');
  }
}
