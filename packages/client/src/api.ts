import { ConnectError } from './errors.js';

/**
 * The technician's HTTP API as a small client: sign in, get a WebSocket ticket, read the terms.
 * In a browser the session cookie travels by itself; in Node (selftest, tests) this class keeps it.
 */
export interface SignedInUser {
  id: string | number;
  login: string;
  displayName: string;
  company: string;
  role: 'admin' | 'technician';
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export class ConsoleApi {
  private cookie: string | undefined;
  private csrfToken: string | undefined;

  /** `baseUrl` like "http://127.0.0.1:8080"; `keepCookies` for Node, where fetch has no cookie jar. */
  constructor(
    readonly baseUrl: string,
    private readonly keepCookies = typeof document === 'undefined',
  ) {}

  async login(login: string, password: string): Promise<SignedInUser> {
    const body = await this.request<{ user: SignedInUser; csrfToken: string }>('POST', '/api/auth/login', { login, password });
    this.csrfToken = body.csrfToken;
    return body.user;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/api/auth/logout', {});
    this.cookie = undefined;
    this.csrfToken = undefined;
  }

  async terms(): Promise<{ version: string; text: { de: string; en: string } }> {
    return this.request('GET', '/api/terms');
  }

  /** The technician WebSocket URL with a fresh single-use ticket. */
  async technicianUrl(): Promise<string> {
    const { ticket } = await this.request<{ ticket: string }>('POST', '/api/auth/ws-ticket', {});
    return `${this.wsBase()}/ws/technician?ticket=${encodeURIComponent(ticket)}`;
  }

  customerUrl(): string {
    return `${this.wsBase()}/ws/customer`;
  }

  private wsBase(): string {
    return this.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '');
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (this.keepCookies && this.cookie) headers.cookie = this.cookie;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), { method, headers, credentials: 'same-origin', ...(body ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new ConnectError('network', undefined, err instanceof Error ? err.message : String(err));
    }
    if (this.keepCookies) {
      const set = res.headers.get('set-cookie');
      const match = set?.match(/fh_session=([^;]*)/);
      if (match) this.cookie = match[1] ? `fh_session=${match[1]}` : undefined;
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; retryAfterSeconds?: number } };
    if (!res.ok) {
      const e = json.error ?? {};
      throw new ApiError(res.status, e.code ?? 'http-' + res.status, e.message ?? res.statusText, e.retryAfterSeconds);
    }
    return json as T;
  }
}
