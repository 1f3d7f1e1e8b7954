import { ConnectError } from './errors.js';

/**
 * The technician's HTTP API as a small client: sign in (with a second factor when the account has
 * one), restore a session after a reload, enrol TOTP, get a WebSocket ticket, read terms and branding.
 * In a browser the session cookie travels by itself; in Node (selftest, tests) this class keeps it.
 */
export interface SignedInUser {
  id: string | number;
  login: string;
  displayName: string;
  company: string;
  role: 'admin' | 'technician';
  /** whether sign-in asks for a TOTP code; filled in by `me()` once the server reports it */
  totpEnabled?: boolean;
}

/** The operator's branding, for headers and colours; every field may be empty. */
export interface Branding {
  companyName: string;
  supportPhone: string;
  primaryColor: string;
  accentColor: string;
  website: string;
}

/** A TOTP secret to enrol: show `otpauthUri` as a QR code and `secret` as text to type in. */
export interface TotpSetup {
  secret: string;
  otpauthUri: string;
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

  /**
   * Signs in. An account with two-factor sign-in answers ApiError `totp-required` until `totp`
   * (the 6-digit code from the authenticator app) is given, and `totp-invalid` for a wrong code.
   */
  async login(login: string, password: string, totp?: string): Promise<SignedInUser> {
    const code = totp?.replace(/\s/g, '');
    const body = await this.request<{ user: SignedInUser; csrfToken: string }>('POST', '/api/auth/login', { login, password, ...(code ? { totp: code } : {}) });
    this.csrfToken = body.csrfToken;
    return body.user;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/api/auth/logout', {});
    this.cookie = undefined;
    this.csrfToken = undefined;
  }

  /** Fetches the CSRF token of the existing session (after a page reload). ApiError 401 when signed out. */
  async csrf(): Promise<string> {
    const { csrfToken } = await this.request<{ csrfToken: string }>('GET', '/api/auth/csrf');
    this.csrfToken = csrfToken;
    return csrfToken;
  }

  /** The signed-in user. ApiError 401 when signed out. */
  async me(): Promise<SignedInUser> {
    const body = await this.request<{ user: SignedInUser; totpEnabled?: boolean }>('GET', '/api/auth/me');
    const totpEnabled = body.user.totpEnabled ?? body.totpEnabled;
    return totpEnabled === undefined ? body.user : { ...body.user, totpEnabled };
  }

  /** Starts TOTP enrolment: a new secret, active only after `totpEnable` with a valid code. */
  async totpSetup(): Promise<TotpSetup> {
    return this.request('POST', '/api/auth/totp/setup', {});
  }

  async totpEnable(code: string): Promise<void> {
    await this.request('POST', '/api/auth/totp/enable', { code: code.replace(/\s/g, '') });
  }

  async totpDisable(code: string): Promise<void> {
    await this.request('POST', '/api/auth/totp/disable', { code: code.replace(/\s/g, '') });
  }

  async branding(): Promise<Branding> {
    return this.request('GET', '/api/branding');
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
