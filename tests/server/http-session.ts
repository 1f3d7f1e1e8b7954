import { checkReply } from './contract.js';

/**
 * A tiny browser for the JSON API in the server tests: keeps the session cookie and, once signed
 * in, sends the CSRF token like the console does (unless told not to). Every successful reply is
 * checked against its route's contract in @fernhilfe/protocol (contract.ts): a route that answers a
 * field the schema lacks, or a wrong type, fails the test that called it.
 */
export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, undefined for an empty one. */
  body: unknown;
  /** Whether the response set (or cleared) the session cookie. */
  setsSession: boolean;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Leave out the x-csrf-token header even when signed in. */
  noCsrf?: boolean;
}

export class HttpSession {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && !opts.noCsrf) headers['x-csrf-token'] = this.csrfToken;
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('fh_session='));
    if (session) this.cookie = session.split(';')[0];
    const text = await res.text();
    const body = text === '' ? undefined : (JSON.parse(text) as unknown);
    checkReply(method, path, res.status, body);
    return { status: res.status, headers: res.headers, body, setsSession: session !== undefined };
  }

  /** POST /api/auth/login; on success keeps the CSRF token for later calls. */
  async login(login: string, password: string, extra: { totp?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const body = { login, password, ...(extra.totp === undefined ? {} : { totp: extra.totp }) };
    const response = await this.call('POST', '/api/auth/login', { body, ...(extra.headers ? { headers: extra.headers } : {}) });
    const token = (response.body as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (response.status === 200 && typeof token === 'string') this.csrfToken = token;
    return response;
  }
}
