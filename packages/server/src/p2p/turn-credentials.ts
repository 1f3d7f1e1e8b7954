import { createHmac } from 'node:crypto';
import type { IceServersMessage, Role } from '@fernhilfe/protocol';

export interface IceConfig {
  /** stun:, stuns:, turn: and turns: URLs (TURN_URLS) */
  urls: string[];
  /** coturn's `static-auth-secret` (TURN_SECRET); required when a turn(s): URL is given */
  secret: string | undefined;
  /** how long issued TURN credentials stay valid (TURN_TTL_S) */
  ttlS: number;
}

export const isTurnUrl = (url: string): boolean => /^turns?:/i.test(url);

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest-00, coturn `use-auth-secret`):
 *   username   = "<expiry unix seconds>:<label>"
 *   credential = base64(HMAC-SHA1(shared secret, username))
 * coturn recomputes the credential from the username with the same secret and refuses an expired one,
 * so the server stores nothing and a leaked credential is useless after `ttlS`.
 */
export function turnCredential(secret: string, label: string, ttlS: number, nowMs = Date.now()): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlS}:${label}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** What the server hands each endpoint of an active session: the STUN servers, and the TURN servers with fresh credentials. */
export class IceServerIssuer {
  constructor(
    private readonly config: IceConfig,
    private readonly now: () => number = Date.now,
  ) {}

  forSession(customerId: string, role: Role): IceServersMessage {
    const stun = this.config.urls.filter((u) => !isTurnUrl(u));
    const turn = this.config.urls.filter(isTurnUrl);
    const iceServers: IceServersMessage['iceServers'] = [];
    if (stun.length > 0) iceServers.push({ urls: stun });
    if (turn.length > 0 && this.config.secret) {
      // the label names the session and side in coturn's log; it is not secret and proves nothing by itself
      iceServers.push({ urls: turn, ...turnCredential(this.config.secret, `${customerId}-${role}`, this.config.ttlS, this.now()) });
    }
    return { type: 'ice-servers', iceServers, ttlS: this.config.ttlS };
  }
}
