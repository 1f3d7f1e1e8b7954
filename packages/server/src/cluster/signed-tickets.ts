import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { WS_TICKET_TTL_MS, type TicketStore } from '../auth/ws-tickets.js';
import { ClusterError } from './errors.js';
import { keys } from './keys.js';

const TICKET = /^([0-9a-f]{32})\.(\d{1,16})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/;

/**
 * WebSocket tickets that any node can redeem: the console may get a ticket from one node
 * (POST /api/auth/ws-ticket) and open the WebSocket on another (no sticky sessions needed).
 * A ticket is `nonce.expiry.userId.mac`, HMAC-SHA-256 with a key all nodes share (made once, kept in
 * Redis); single use across nodes by `SET NX` of its nonce. Issuing needs no round trip to Redis.
 */
export class SignedTickets implements TicketStore {
  private constructor(
    private readonly redis: Redis,
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  static async load(redis: Redis, now: () => number = Date.now): Promise<SignedTickets> {
    await redis.set(keys.ticketKey, randomBytes(32).toString('hex'), 'NX');
    const key = await redis.get(keys.ticketKey);
    if (!key || !/^[0-9a-f]{64}$/.test(key)) throw new ClusterError('bad-ticket-key', `Redis key ${keys.ticketKey} does not hold a ticket key`);
    return new SignedTickets(redis, Buffer.from(key, 'hex'), now);
  }

  /** Puts the key back if Redis lost it (a restart without persistence), so that a node started later gets the same one. */
  reseed(pipeline: ChainableCommander): void {
    pipeline.set(keys.ticketKey, this.key.toString('hex'), 'NX');
  }

  issue(userId: string): string {
    const body = `${randomBytes(16).toString('hex')}.${this.now() + WS_TICKET_TTL_MS}.${userId}`;
    return `${body}.${this.mac(body)}`;
  }

  async take(ticket: string): Promise<string | undefined> {
    const m = TICKET.exec(ticket);
    if (!m) return undefined;
    const [, nonce, expiry, userId, mac] = m as unknown as [string, string, string, string, string];
    const expected = Buffer.from(this.mac(`${nonce}.${expiry}.${userId}`));
    if (!timingSafeEqual(expected, Buffer.from(mac)) || Number(expiry) <= this.now()) return undefined;
    const first = await this.redis.set(keys.ticketUsed(nonce), '1', 'PX', WS_TICKET_TTL_MS, 'NX');
    return first === 'OK' ? userId : undefined;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
