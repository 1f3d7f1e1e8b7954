import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './client.js';
import { DEFAULT_BRANDING } from './branding.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** A real HTTP server on 127.0.0.1 port 0 that answers what each test tells it to. */
describe('ApiClient against a real HTTP server', () => {
  let server: Server;
  let base: string;
  let handler: Handler = (_req, _body, res) => json(res, 404, {});
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        handler(req, body, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns a reply that keeps its contract', async () => {
    handler = (_req, _body, res) => json(res, 200, DEFAULT_BRANDING);
    expect(await new ApiClient(base).call('branding')).toEqual(DEFAULT_BRANDING);
  });

  it('refuses a reply with a field the contract lacks, or a wrong type', async () => {
    handler = (_req, _body, res) => json(res, 200, { ...DEFAULT_BRANDING, script: '<b>' });
    await expect(new ApiClient(base).call('branding')).rejects.toMatchObject({ name: 'ApiError', reason: 'invalid-reply' });
    handler = (_req, _body, res) => json(res, 200, { version: 'f'.repeat(64), text: { de: 1, en: '' } });
    const err = await new ApiClient(base).call('terms').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).detail).toMatch(/text\.de/);
  });

  it("turns a refusal into ApiError 'http' with the server's code, message and wait", async () => {
    handler = (_req, _body, res) => json(res, 429, { error: { code: 'rate_limited', message: 'Too many attempts.', retryAfterSeconds: 30 } });
    const err = (await new ApiClient(base).login('max', 'wrong').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect({ reason: err.reason, status: err.status, code: err.code, detail: err.detail, retry: err.retryAfterSeconds }).toEqual({
      reason: 'http',
      status: 429,
      code: 'rate_limited',
      detail: 'Too many attempts.',
      retry: 30,
    });
  });

  it("says 'network' when nothing answers", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(new ApiClient(`http://127.0.0.1:${port}`).call('terms')).rejects.toMatchObject({ reason: 'network', status: 0 });
  });

  it('keeps the session cookie, sends the CSRF token from sign-in, and fetches one when it has none', async () => {
    const user = { id: 'u1', login: 'max', displayName: 'Max', company: '', role: 'admin', totpEnabled: false };
    handler = (req, _body, res) => {
      if (req.url === '/api/auth/login') return json(res, 200, { user, csrfToken: 'from-login' }, { 'set-cookie': 'fh_session=abc; HttpOnly' });
      if (req.url === '/api/auth/csrf') return json(res, 200, { csrfToken: 'fetched' });
      if (req.url === '/api/admin/terms') return json(res, 200, { version: 'a'.repeat(64), changed: true });
      return json(res, 404, {});
    };
    seen.length = 0;
    const signedIn = new ApiClient(base);
    expect(await signedIn.login('max', 'pw', ' 123 456 ')).toEqual(user);
    await signedIn.call('saveTerms', { body: { de: 'a', en: 'b' } });
    expect(JSON.parse(seen[0]!.body)).toEqual({ login: 'max', password: 'pw', totp: '123456' });
    expect(seen[1]).toMatchObject({ method: 'PUT', url: '/api/admin/terms', headers: { cookie: 'fh_session=abc', 'x-csrf-token': 'from-login' } });

    seen.length = 0;
    await new ApiClient(base).call('saveTerms', { body: { de: 'a', en: 'b' } });
    expect(seen.map((r) => `${r.method} ${r.url} ${r.headers['x-csrf-token'] ?? '-'}`)).toEqual(['GET /api/auth/csrf -', 'PUT /api/admin/terms fetched']);
  });

  it('fills in the path parameter and the query', async () => {
    handler = (_req, _body, res) => json(res, 200, { entries: [] });
    seen.length = 0;
    await new ApiClient(base).call('audit', { query: { limit: 50, before: undefined, session: 'a b' } });
    expect(seen[0]!.url).toBe('/api/admin/audit?limit=50&session=a+b');
    handler = (_req, _body, res) => json(res, 200, { events: [] });
    await new ApiClient(base).call('reportSession', { params: { id: 'x/y' } });
    expect(seen[1]!.url).toBe('/api/reports/sessions/x%2Fy');
  });
});
