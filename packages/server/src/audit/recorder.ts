import { createHash } from 'node:crypto';
import type { Role, SessionReport } from '@fernhilfe/protocol';
import type { Logger } from 'pino';
import type { SessionRecorder } from '../rendezvous/broker.js';
import type { SupportSessionRepo } from '../storage/support-sessions.js';
import type { AuditData } from './chain.js';
import type { Actor, AuditEvent } from './events.js';
import type { AuditLog } from './log.js';
import type { AuditDb } from './schema.js';

export interface RecorderDeps {
  sessions: SupportSessionRepo;
  audit: AuditLog;
  db: AuditDb;
  logger: Logger;
  now?: () => number;
}

/**
 * The broker's SessionRecorder: keeps the support_sessions row up to date and writes each step to
 * the audit log. The calls of one session run one after another in the order the broker made
 * them, so its entries are in the order things happened.
 */
export function auditRecorder(deps: RecorderDeps): SessionRecorder {
  const { sessions, audit, db } = deps;
  const now = deps.now ?? Date.now;
  const tails = new Map<string, Promise<unknown>>();
  /** runs `fn` after every earlier call for the same session */
  const inOrder = <T>(sessionId: string, fn: () => Promise<T>): Promise<T> => {
    const run = (tails.get(sessionId) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    tails.set(sessionId, tail);
    void tail.then(() => {
      if (tails.get(sessionId) === tail) tails.delete(sessionId);
    });
    return run;
  };
  const write = (sessionId: string, event: AuditEvent, actor: Actor, data: AuditData = {}) => audit.append({ sessionId, event, actor, data });
  const technicianOf = async (sessionId: string): Promise<string | null> => (await sessions.get(sessionId))?.technicianUserId ?? null;
  const actorOf = async (sessionId: string, by: string): Promise<Actor> => {
    if (by === 'customer') return 'customer';
    if (by === 'technician') {
      const id = await technicianOf(sessionId);
      return id ? `technician:${id}` : 'server';
    }
    return 'server';
  };

  return {
    created: async (r) => {
      const session = await sessions.create({ customerId: r.customerId, termsVersion: r.termsVersion, capabilities: r.capabilities, customerAddr: r.customerAddr });
      const id = session.id;
      await inOrder(id, async () => {
        await db
          .insertInto('receipt_tokens')
          .values({ token_hash: createHash('sha256').update(r.receiptToken).digest('hex'), session_id: id, created_at: now() })
          .execute();
        await write(id, 'session-opened', 'customer', { customerId: r.customerId, capabilities: [...r.capabilities] });
        // the acceptance record: which terms, in which language, when, from where
        await write(id, 'terms-accepted', 'customer', { termsVersion: r.termsVersion, language: r.language, acceptedAt: session.createdAt, customerAddr: r.customerAddr });
      });
      return id;
    },
    connected: (id, userId) =>
      inOrder(id, async () => {
        await sessions.markConnected(id, userId);
        const user = await db.selectFrom('users').select(['display_name', 'company']).where('id', '=', userId).executeTakeFirst();
        await write(id, 'technician-connected', `technician:${userId}`, { technicianUserId: userId, displayName: user?.display_name ?? '', company: user?.company ?? '' });
      }),
    failedAttempt: (id) =>
      inOrder(id, async () => {
        const attempts = await sessions.incrementFailed(id);
        const tech = await technicianOf(id);
        await write(id, 'authentication-failed', tech ? `technician:${tech}` : 'server', { failedAttempts: attempts ?? null });
      }),
    authenticated: (id) =>
      inOrder(id, async () => {
        await sessions.markAuthenticated(id);
        await write(id, 'session-authenticated', 'server');
      }),
    passwordRotated: (id) => inOrder(id, async () => void (await write(id, 'password-rotated', 'customer'))),
    reported: (id, by: Role, report: SessionReport) =>
      inOrder(id, async () => {
        const { event, ...data } = report;
        await write(id, event, await actorOf(id, by), data);
      }),
    moved: (id, move) => inOrder(id, async () => void (await write(id, 'session-moved', 'server', { from: move.from, to: move.to, why: move.why }))),
    ended: (id, reason, observed) =>
      inOrder(id, async () => {
        const [by = 'server', ...rest] = reason.split(':');
        const why = rest.join(':') || reason;
        const actor = await actorOf(id, by);
        if (await sessions.markEnded(id, reason)) await write(id, 'session-ended', actor, { by, reason: why, ...(observed ? { relayedBytes: observed.relayedBytes } : {}) });
      }),
  };
}
