import { FernhilfeError } from '../base-error.js';
import type { PublicUser, TotpSetup } from './auth.js';
import { apiRoutes, type ApiInput, type ApiReply, type ApiRoute, type ApiRouteName, type ApiRoutes } from './routes.js';
import { problemSchema } from './problem.js';

/** Why a call to the server's HTTP API gave no reply: the server said no, the reply is not the contract, or no answer. */
export type ApiFailure = 'http' | 'invalid-reply' | 'network';

/**
 * A refused or failed call. `status` is the HTTP status (0 without one), `code` the server's error
 * code (`totp_required`, `not-found`, …; `http-<status>` when it sent none), `detail` its message.
 */
export class ApiError extends FernhilfeError<ApiFailure> {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  /** how long to wait before trying again, when the server said so (rate-limited sign-in) */
  readonly retryAfterSeconds: number | undefined;

  constructor(reason: ApiFailure, detail: string, options: { status?: number; code?: string; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(reason, detail, options.cause === undefined ? {} : { cause: options.cause });
    this.status = options.status ?? 0;
    this.code = options.code ?? reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface ApiClientOptions {
  /** keep the session cookie in this object (Node: fetch has no cookie jar); default: outside a browser */
  keepCookies?: boolean;
  /** give up on a call after this long; default: no limit */
  timeoutMs?: number;
  /** `error`: refuse a redirect (the native program talks to exactly its server); default `follow` */
  redirect?: 'follow' | 'error';
  /** the fetch to use; default the global one (the native program under wine brings its own: packages/agent/src/app/http-fetch.ts) */
  fetch?: typeof fetch;
}

type CallArgs<K extends ApiRouteName> = object extends ApiInput<ApiRoutes[K]> ? [input?: ApiInput<ApiRoutes[K]>] : [input: ApiInput<ApiRoutes[K]>];
interface AnyInput {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  params?: { id: string };
}

const SESSION_COOKIE = 'fh_session';

/**
 * The one client of the server's HTTP API (packages/protocol/src/api/routes.ts), fetch-based, for
 * browsers and Node 20: the console, the QuickSupport page, the native program and the CLI. Every
 * reply is parsed with its route's schema; every failure is an ApiError. State-changing calls carry
 * the CSRF token (from sign-in, or fetched once from /api/auth/csrf).
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly keepCookies: boolean;
  private cookie: string | undefined;
  private csrfToken: string | undefined;

  /** `baseUrl` like "http://127.0.0.1:8080" (in a browser: `location.origin`). */
  constructor(
    baseUrl: string | URL,
    private readonly options: ApiClientOptions = {},
  ) {
    this.baseUrl = String(baseUrl).replace(/\/$/, '');
    this.keepCookies = options.keepCookies ?? typeof document === 'undefined';
  }

  /** Calls route `name` (apiRoutes) and returns its reply, parsed. */
  async call<K extends ApiRouteName>(name: K, ...[input]: CallArgs<K>): Promise<ApiReply<ApiRoutes[K]>> {
    const route: ApiRoute = apiRoutes[name];
    const { body, query, params } = (input ?? {}) as AnyInput;
    let path = params ? route.path.replace(':id', encodeURIComponent(params.id)) : route.path;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(key, String(value));
    if (search.toString() !== '') path += `?${search.toString()}`;
    const needsCsrf = route.method !== 'GET' && name !== 'login' && name !== 'setup' && name !== 'linkPassword';
    if (needsCsrf) this.csrfToken ??= (await this.call('csrf')).csrfToken;
    const json = await this.fetchJson(route.method, path, body, needsCsrf);
    if (route.reply === null) return undefined as ApiReply<ApiRoutes[K]>;
    const parsed = route.reply.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError('invalid-reply', `${route.method} ${route.path}: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') || 'reply'}`, { status: 200 });
    }
    return parsed.data as ApiReply<ApiRoutes[K]>;
  }

  /**
   * Signs in. An account with two-factor sign-in answers ApiError `totp_required` until `totp`
   * (the 6-digit code from the authenticator app) is given, and `totp_invalid` for a wrong code.
   */
  async login(login: string, password: string, totp?: string): Promise<PublicUser> {
    const code = totp?.replace(/\s/g, '');
    const reply = await this.call('login', { body: { login, password, ...(code ? { totp: code } : {}) } });
    this.csrfToken = reply.csrfToken;
    return reply.user;
  }

  async logout(): Promise<void> {
    await this.call('logout');
    this.cookie = undefined;
    this.csrfToken = undefined;
  }

  /** Fetches the CSRF token of the existing session (after a page reload). ApiError 401 when signed out. */
  async csrf(): Promise<string> {
    this.csrfToken = (await this.call('csrf')).csrfToken;
    return this.csrfToken;
  }

  /** The signed-in user. ApiError 401 when signed out. */
  async me(): Promise<PublicUser> {
    return (await this.call('me')).user;
  }

  /** Starts TOTP enrolment: a new secret, active only after `totpEnable` with a valid code. */
  totpSetup(): Promise<TotpSetup> {
    return this.call('totpSetup');
  }

  async totpEnable(code: string): Promise<void> {
    await this.call('totpEnable', { body: { code: code.replace(/\s/g, '') } });
  }

  async totpDisable(code: string): Promise<void> {
    await this.call('totpDisable', { body: { code: code.replace(/\s/g, '') } });
  }

  /** The technician WebSocket URL with a fresh single-use ticket. */
  async technicianUrl(): Promise<string> {
    const { ticket } = await this.call('wsTicket');
    return `${this.wsBase()}/ws/technician?ticket=${encodeURIComponent(ticket)}`;
  }

  /** ws(s)://host/ws/customer */
  customerUrl(): string {
    return `${this.wsBase()}/ws/customer`;
  }

  private wsBase(): string {
    return this.baseUrl.replace(/^http/, 'ws');
  }

  private async fetchJson(method: ApiRoute['method'], path: string, body: unknown, csrf: boolean): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrf && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (this.keepCookies && this.cookie) headers.cookie = this.cookie;
    const init: RequestInit = { method, headers, credentials: 'same-origin', redirect: this.options.redirect ?? 'follow' };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (this.options.timeoutMs !== undefined) init.signal = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(new URL(path, this.baseUrl), init);
    } catch (err) {
      throw new ApiError('network', `${this.baseUrl} cannot be reached`, { cause: err });
    }
    if (this.keepCookies) {
      const match = res.headers.get('set-cookie')?.match(new RegExp(`${SESSION_COOKIE}=([^;]*)`));
      if (match) this.cookie = match[1] ? `${SESSION_COOKIE}=${match[1]}` : undefined;
    }
    const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
    if (!res.ok) {
      const problem = problemSchema.safeParse(json);
      const e = problem.success ? problem.data.error : undefined;
      throw new ApiError('http', e?.message ?? (res.statusText || `HTTP ${res.status}`), {
        status: res.status,
        code: e?.code ?? `http-${res.status}`,
        ...(e?.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
      });
    }
    return json;
  }
}
