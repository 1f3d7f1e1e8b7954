import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the agent's local UI server. The server listens on 127.0.0.1 only, but any web
 * page the customer has open can send requests to 127.0.0.1, and a DNS-rebinding page can even
 * make them same-origin under its own host name. So every request must
 *  - name the exact host the server listens on (Host: 127.0.0.1:<port>) — a rebinding page sends its own name;
 *  - come from no other origin (Origin, when present, and always on the WebSocket, is http://127.0.0.1:<port>;
 *    Sec-Fetch-Site, when present, is not cross-site);
 *  - carry the 256-bit secret in the HttpOnly SameSite=Strict cookie.
 * The secret itself is never in a URL: the address the agent opens carries a different, one-time
 * ticket (?t=…), which the first load exchanges for the cookie. The ticket is on the browser's
 * command line, which every local user can read in /proc; once used it opens nothing, and a second
 * use (someone may have raced the browser to it) shuts out the cookie too (ui-server.ts). The cookie's
 * name is random per run (and names the port): cookies are not port-scoped, so no fixed name that
 * another program on a loopback port could set or expect.
 */
export type Refusal = 'wrong-host' | 'wrong-origin' | 'cross-site' | 'no-token' | 'ticket-used';
export type Verdict = { ok: true; via: 'cookie' | 'ticket' } | { ok: false; why: Refusal };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class UiGuard {
  /** the cookie's secret; zeroed by wipe(), replaced by shutOut() */
  private secret: Buffer = randomBytes(32);
  /** the one-time ticket in the opened address */
  private readonly ticket: Buffer = randomBytes(32);
  private ticketSpent = false;
  private readonly cookieTag = randomBytes(8).toString('hex');
  private port = 0;

  /** Call once the server listens. */
  bind(port: number): void {
    this.port = port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Per run and per port: two agents on one machine never share a name, and nothing else can know it in advance. */
  get cookieName(): string {
    return `fernhilfe_agent_${this.port}_${this.cookieTag}`;
  }

  /** The address to open in the browser: it carries the one-time ticket, never the secret. */
  url(): string {
    return `${this.origin}/?t=${this.ticket.toString('base64url')}`;
  }

  setCookie(): string {
    return `${this.cookieName}=${this.secret.toString('base64url')}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Checks a plain HTTP request; a valid ticket is spent by this call. */
  check(req: IncomingMessage): Verdict {
    const common = this.checkSite(req, false);
    if (common) return { ok: false, why: common };
    if (equal(this.cookieValue(req), this.secret)) return { ok: true, via: 'cookie' };
    const query = new URL(req.url ?? '/', this.origin).searchParams.get('t');
    if (!equal(query, this.ticket)) return { ok: false, why: 'no-token' };
    if (this.ticketSpent) return { ok: false, why: 'ticket-used' };
    this.ticketSpent = true;
    return { ok: true, via: 'ticket' };
  }

  /** Checks a WebSocket upgrade: Origin is required, the secret must come in the cookie. */
  checkUpgrade(req: IncomingMessage): Verdict {
    const common = this.checkSite(req, true);
    if (common) return { ok: false, why: common };
    return equal(this.cookieValue(req), this.secret) ? { ok: true, via: 'cookie' } : { ok: false, why: 'no-token' };
  }

  /** The cookie handed out so far opens nothing any more (someone else may hold it). */
  shutOut(): void {
    this.secret.fill(0);
    this.secret = randomBytes(32);
  }

  wipe(): void {
    this.secret.fill(0);
    this.ticket.fill(0);
    this.ticketSpent = true;
  }

  private checkSite(req: IncomingMessage, originRequired: boolean): Refusal | undefined {
    if (req.headers.host !== `127.0.0.1:${this.port}`) return 'wrong-host';
    const origin = req.headers.origin;
    if (origin === undefined ? originRequired : origin !== this.origin) return 'wrong-origin';
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site';
    return undefined;
  }

  private cookieValue(req: IncomingMessage): string | null {
    const header = req.headers.cookie;
    if (!header) return null;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return null;
  }
}

/** `candidate` (base64url) is `secret`, compared in constant time; never true for a wiped (all-zero) secret. */
function equal(candidate: string | null, secret: Buffer): boolean {
  if (!candidate || !TOKEN.test(candidate)) return false;
  const given = Buffer.from(candidate, 'base64url');
  const ok = given.length === secret.length && timingSafeEqual(given, secret) && !secret.every((b) => b === 0);
  given.fill(0);
  return ok;
}
