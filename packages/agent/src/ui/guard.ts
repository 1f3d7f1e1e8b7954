import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the agent's local UI server. The server listens on 127.0.0.1 only, but any web
 * page the customer has open can send requests to 127.0.0.1, and a DNS-rebinding page can even
 * make them same-origin under its own host name. So every request must
 *  - name the exact host the server listens on (Host: 127.0.0.1:<port>) — a rebinding page sends its own name;
 *  - come from no other origin (Origin, when present, and always on the WebSocket, is http://127.0.0.1:<port>;
 *    Sec-Fetch-Site, when present, is not cross-site);
 *  - carry the 256-bit secret: in the URL the agent opens (?t=…, once) or, after that, in the
 *    HttpOnly SameSite=Strict cookie the first load sets.
 */
export type Refusal = 'wrong-host' | 'wrong-origin' | 'cross-site' | 'no-token';
export type Verdict = { ok: true; via: 'cookie' | 'url' } | { ok: false; why: Refusal };

export class UiGuard {
  /** the secret; zeroed by wipe() */
  private readonly secret: Buffer = randomBytes(32);
  private port = 0;

  /** Call once the server listens. */
  bind(port: number): void {
    this.port = port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The cookie is per port: two agents on one machine must not overwrite each other's. */
  get cookieName(): string {
    return `fernhilfe_agent_${this.port}`;
  }

  /** The address to open in the browser (carries the secret once). */
  url(): string {
    return `${this.origin}/?t=${this.secret.toString('base64url')}`;
  }

  setCookie(): string {
    return `${this.cookieName}=${this.secret.toString('base64url')}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Checks a plain HTTP request. */
  check(req: IncomingMessage): Verdict {
    const common = this.checkSite(req, false);
    if (common) return { ok: false, why: common };
    if (this.matches(this.cookieValue(req))) return { ok: true, via: 'cookie' };
    const query = new URL(req.url ?? '/', this.origin).searchParams.get('t');
    if (this.matches(query)) return { ok: true, via: 'url' };
    return { ok: false, why: 'no-token' };
  }

  /** Checks a WebSocket upgrade: Origin is required, the secret must come in the cookie. */
  checkUpgrade(req: IncomingMessage): Verdict {
    const common = this.checkSite(req, true);
    if (common) return { ok: false, why: common };
    return this.matches(this.cookieValue(req)) ? { ok: true, via: 'cookie' } : { ok: false, why: 'no-token' };
  }

  wipe(): void {
    this.secret.fill(0);
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

  private matches(candidate: string | null): boolean {
    if (!candidate || !/^[A-Za-z0-9_-]{43}$/.test(candidate)) return false;
    const given = Buffer.from(candidate, 'base64url');
    const ok = given.length === this.secret.length && timingSafeEqual(given, this.secret) && !this.secret.every((b) => b === 0);
    given.fill(0);
    return ok;
  }
}
