import { randomToken } from './tokens.js';

export const WS_TICKET_TTL_MS = 30_000;

/** Where tickets live: this node's memory (WsTickets), or signed tickets any node redeems (cluster/signed-tickets.ts). */
export interface TicketStore {
  issue(userId: string): string;
  /** The user id for a valid ticket; the ticket is gone afterwards either way. */
  take(ticket: string): string | undefined | Promise<string | undefined>;
}

/**
 * Short-lived, single-use tickets that let the console open the technician WebSocket (which
 * cannot carry the CSRF header). In memory: a ticket must be redeemed on the node that issued it.
 */
export class WsTickets implements TicketStore {
  readonly #tickets = new Map<string, { userId: string; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  issue(userId: string): string {
    this.#sweep();
    const ticket = randomToken();
    this.#tickets.set(ticket, { userId, expiresAt: this.now() + WS_TICKET_TTL_MS });
    return ticket;
  }

  /** The user id for a valid ticket; the ticket is gone afterwards either way. */
  take(ticket: string): string | undefined {
    const entry = this.#tickets.get(ticket);
    if (!entry) return undefined;
    this.#tickets.delete(ticket);
    return this.now() < entry.expiresAt ? entry.userId : undefined;
  }

  #sweep(): void {
    const now = this.now();
    for (const [ticket, entry] of this.#tickets) {
      if (now >= entry.expiresAt) this.#tickets.delete(ticket);
    }
  }
}
