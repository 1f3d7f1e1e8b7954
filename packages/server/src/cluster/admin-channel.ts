import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { LocalSession } from '../rendezvous/broker.js';
import { keys } from './keys.js';

/** What each node does for the admins (the broker, through live-sessions.ts). */
export interface AdminHandler {
  sessions(): LocalSession[];
  endSession(customerId: string, reason: 'ended-by-admin'): boolean;
  endTechnician(userId: string, reason: 'account-disabled'): number;
}

const localSession = z.strictObject({
  customerId: z.string().regex(/^\d{9}$/),
  technician: z.strictObject({ userId: z.string().max(100), displayName: z.string().max(256) }),
  since: z.number().int().nonnegative(),
  relayedBytes: z.number().int().nonnegative(),
  lastRelayAt: z.number().int().nonnegative(),
});
const node = z.string().min(1).max(64);
const requestId = z.string().uuid();
/** Redis is a trust boundary like any other input: every message is parsed. */
const messageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('list'), requestId, replyTo: node }),
  z.strictObject({ type: z.literal('end-session'), requestId, replyTo: node, customerId: z.string().regex(/^\d{9}$/) }),
  z.strictObject({ type: z.literal('end-technician'), requestId, replyTo: node, userId: z.string().min(1).max(100) }),
  z.strictObject({ type: z.literal('reply'), requestId, node, sessions: z.array(localSession).max(10_000).optional(), ended: z.number().int().nonnegative().optional() }),
]);
type Message = z.infer<typeof messageSchema>;
type Reply = Extract<Message, { type: 'reply' }>;

export interface NodeSessions {
  node: string;
  sessions: LocalSession[];
}

/**
 * Admin requests to every node of the cluster (issue 18): list the live sessions, end one session,
 * end every session of a technician. One broadcast channel all nodes listen on and one reply
 * channel per node, on a subscriber connection of its own. A request goes to every node that
 * listens now (PUBLISH says how many), and waits for their replies up to `timeoutMs`.
 */
export class AdminChannel {
  private readonly waiting = new Map<string, { replies: Reply[]; expected: number; done: () => void }>();

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly nodeId: string,
    private readonly handler: () => AdminHandler | undefined,
    private readonly log: Logger,
  ) {}

  static async start(opts: { pub: Redis; sub: Redis; nodeId: string; handler: () => AdminHandler | undefined; log: Logger }): Promise<AdminChannel> {
    const channel = new AdminChannel(opts.pub, opts.sub, opts.nodeId, opts.handler, opts.log);
    opts.sub.on('message', (ch: string, text: string) => channel.receive(ch, text));
    await opts.sub.subscribe(keys.adminAll, keys.adminReplies(opts.nodeId));
    return channel;
  }

  /** The live sessions of every node that answered within `timeoutMs`. */
  async list(timeoutMs = 2000): Promise<{ nodes: NodeSessions[]; missing: number }> {
    const replies = await this.ask({ type: 'list' }, timeoutMs);
    return { nodes: replies.replies.map((r) => ({ node: r.node, sessions: r.sessions ?? [] })), missing: replies.missing };
  }

  /** Ends the session with `customerId` on whichever node holds it; true when one did. */
  async endSession(customerId: string, timeoutMs = 2000): Promise<boolean> {
    const { replies } = await this.ask({ type: 'end-session', customerId }, timeoutMs);
    return replies.some((r) => (r.ended ?? 0) > 0);
  }

  /** Ends every session and connection of a technician on every node; how many sessions ended. */
  async endTechnician(userId: string, timeoutMs = 2000): Promise<number> {
    const { replies } = await this.ask({ type: 'end-technician', userId }, timeoutMs);
    return replies.reduce((n, r) => n + (r.ended ?? 0), 0);
  }

  private async ask(request: { type: 'list' } | { type: 'end-session'; customerId: string } | { type: 'end-technician'; userId: string }, timeoutMs: number): Promise<{ replies: Reply[]; missing: number }> {
    const id = randomUUID();
    const entry = { replies: [] as Reply[], expected: Number.POSITIVE_INFINITY, done: () => undefined as void };
    const finished = new Promise<void>((resolve) => (entry.done = resolve));
    this.waiting.set(id, entry);
    const timer = setTimeout(entry.done, timeoutMs);
    try {
      entry.expected = await this.pub.publish(keys.adminAll, JSON.stringify({ ...request, requestId: id, replyTo: this.nodeId }));
      if (entry.replies.length >= entry.expected) entry.done();
      await finished;
      return { replies: entry.replies, missing: Math.max(0, entry.expected - entry.replies.length) };
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  private receive(channel: string, text: string): void {
    if (channel !== keys.adminAll && channel !== keys.adminReplies(this.nodeId)) return;
    let parsed: ReturnType<typeof messageSchema.safeParse>;
    try {
      parsed = messageSchema.safeParse(JSON.parse(text));
    } catch {
      return this.log.warn({ channel }, 'dropped a malformed admin message');
    }
    if (!parsed.success) return this.log.warn({ channel }, 'dropped an admin message that does not parse');
    const msg = parsed.data;
    if (msg.type === 'reply') {
      const entry = this.waiting.get(msg.requestId);
      if (!entry) return;
      entry.replies.push(msg);
      if (entry.replies.length >= entry.expected) entry.done();
      return;
    }
    const handler = this.handler();
    if (!handler) return;
    const reply: Reply = { type: 'reply', requestId: msg.requestId, node: this.nodeId };
    if (msg.type === 'list') reply.sessions = handler.sessions();
    else if (msg.type === 'end-session') reply.ended = handler.endSession(msg.customerId, 'ended-by-admin') ? 1 : 0;
    else reply.ended = handler.endTechnician(msg.userId, 'account-disabled');
    this.pub.publish(keys.adminReplies(msg.replyTo), JSON.stringify(reply)).catch((err: unknown) => this.log.warn({ err }, 'answering an admin request failed'));
  }
}
