import type { Branding } from '@fernhilfe/client';

/**
 * The console's calls for settings, reports and the audit log. Same origin, the session cookie
 * travels by itself; state-changing calls carry the CSRF token (fetched once from /api/auth/csrf).
 */
export class RecordsApiError extends Error {
  override readonly name = 'RecordsApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type { Branding };

export interface TermsInfo {
  current: { version: string; text: { de: string; en: string } };
  versions: { version: string; createdAt: number; createdBy: string | null; current: boolean }[];
}

export interface AuditEntry {
  seq: number;
  hash: string;
  prevHash: string;
  time: number;
  sessionId: string | null;
  event: string;
  actor: string;
  data: Record<string, unknown>;
}

export type VerifyResult =
  | { ok: true; entries: number; firstSeq?: number; headSeq: number; headHash: string; anchoredAt?: number }
  | { ok: false; seq: number; kind: string; message: string; checked: number };

export interface ReportRow {
  sessionId: string;
  customerId: string;
  technicianUserId: string | null;
  technicianLogin: string | null;
  technicianName: string | null;
  openedAt: number;
  connectedAt: number | null;
  authenticatedAt: number | null;
  endedAt: number | null;
  durationSeconds: number;
  endReason: string | null;
  termsVersion: string;
  failedAttempts: number;
  controlGranted: number;
  filesTransferred: number;
  bytesTransferred: number;
  events: Record<string, number>;
}

export interface ReportQuery {
  /** ISO 8601 with offset */
  from?: string;
  to?: string;
  technician?: string;
}

export interface Technician {
  id: string;
  login: string;
  displayName: string;
  role: 'admin' | 'technician';
}

export class RecordsApi {
  private csrf: Promise<string> | undefined;

  branding(): Promise<Branding> {
    return this.call('GET', '/api/branding');
  }
  saveBranding(b: Branding): Promise<Branding> {
    return this.call('PUT', '/api/admin/branding', b);
  }
  uploadLogo(type: string, base64: string): Promise<{ sha256: string }> {
    return this.call('PUT', '/api/admin/branding/logo', { type, data: base64 });
  }
  removeLogo(): Promise<unknown> {
    return this.call('DELETE', '/api/admin/branding/logo');
  }
  terms(): Promise<TermsInfo> {
    return this.call('GET', '/api/admin/terms');
  }
  saveTerms(texts: { de: string; en: string }): Promise<{ version: string; changed: boolean }> {
    return this.call('PUT', '/api/admin/terms', texts);
  }
  audit(before?: number): Promise<{ entries: AuditEntry[] }> {
    return this.call('GET', `/api/admin/audit?limit=50${before ? `&before=${before}` : ''}`);
  }
  verifyAudit(): Promise<VerifyResult> {
    return this.call('GET', '/api/admin/audit/verify');
  }
  technicians(): Promise<{ users: Technician[] }> {
    return this.call('GET', '/api/admin/technicians');
  }
  sessions(q: ReportQuery): Promise<{ sessions: ReportRow[] }> {
    return this.call('GET', `/api/reports/sessions?${reportParams(q)}`);
  }
  session(id: string): Promise<{ session: ReportRow | undefined; events: AuditEntry[] }> {
    return this.call('GET', `/api/reports/sessions/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = await this.token();
    const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body ? { body: JSON.stringify(body) } : {}) }).catch(() => undefined);
    if (!res) throw new RecordsApiError(0, 'network', 'network');
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!res.ok) throw new RecordsApiError(res.status, json.error?.code ?? `http-${res.status}`, json.error?.message ?? res.statusText);
    return json as T;
  }

  private token(): Promise<string> {
    this.csrf ??= this.call<{ csrfToken: string }>('GET', '/api/auth/csrf').then((r) => r.csrfToken);
    this.csrf.catch(() => (this.csrf = undefined));
    return this.csrf;
  }
}

/** The query string of a report (for the JSON list and the CSV link alike). */
export function reportParams(q: ReportQuery): string {
  const p = new URLSearchParams();
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.technician) p.set('technician', q.technician);
  return p.toString();
}

export const recordsApi = new RecordsApi();
