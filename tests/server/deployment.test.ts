import { execProgramSync } from '@fernhilfe/programs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerEndpoint, TechnicianEndpoint, webSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import { ConfigError, loadConfig } from '@fernhilfe/server';
import { WebSocket } from 'ws';
import { TECH_LOGIN, TECH_PASSWORD, startTestServer } from '../support/server.js';

describe('configuration is validated at start', () => {
  it('refuses a non-loopback address without TLS unless ALLOW_INSECURE=1', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/refusing to listen on 0\.0\.0\.0 without TLS/);
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_INSECURE: '1' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({}).port).toBe(8080);
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ TLS_CERT: '/nonexistent' })).toThrow(/TLS_CERT and TLS_KEY must be set together/);
    expect(() => loadConfig({ TLS_CERT: '/nonexistent.pem', TLS_KEY: '/nonexistent.key' })).toThrow(/TLS_CERT: cannot read/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(loadConfig({}).passwordCost).toBe(17);
    expect(() => loadConfig({ PASSWORD_COST: '8' })).toThrow(/PASSWORD_COST/);
  });
});

describe('TLS', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-tls-'));
    execProgramSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS and WSS with TLS_CERT/TLS_KEY, with Secure cookies, and a whole session works over it', async () => {
    await using srv = await startTestServer({ TLS_CERT: path.join(dir, 'cert.pem'), TLS_KEY: path.join(dir, 'key.pem') });
    expect(srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(path.join(dir, 'cert.pem'));

    const login = await new Promise<{ status: number; cookie: string; body: { csrfToken: string } }>((resolve, reject) => {
      const req = https.request(`${srv.url}/api/auth/login`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? ''), body: JSON.parse(body) as { csrfToken: string } }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ login: TECH_LOGIN, password: TECH_PASSWORD }));
    });
    expect(login.status).toBe(200);
    expect(login.cookie).toMatch(/; Secure/i);
    expect(login.cookie).toMatch(/HttpOnly/i);

    const ticket = await new Promise<string>((resolve, reject) => {
      const req = https.request(`${srv.url}/api/auth/ws-ticket`, { method: 'POST', ca, headers: { 'content-type': 'application/json', cookie: login.cookie.split(';')[0]!, 'x-csrf-token': login.body.csrfToken } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(body) as { ticket: string }).ticket) : reject(new Error(body))));
      });
      req.on('error', reject);
      req.end('{}');
    });

    const transport = webSocketTransport((url) => new WebSocket(url, { ca }) as unknown as WebSocketLike);
    const termsVersion = await new Promise<string>((resolve, reject) => {
      https.get(`${srv.url}/api/terms`, { ca }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve((JSON.parse(body) as { version: string }).version));
      }).on('error', reject);
    });
    const wss = srv.url.replace(/^https/, 'wss');
    const customer = await CustomerEndpoint.open({ url: `${wss}/ws/customer`, transport, termsVersion, language: 'en', capabilities: [] });
    const tech = await TechnicianEndpoint.open({ url: `${wss}/ws/technician?ticket=${ticket}`, transport });
    const cs = customer.once('session');
    const ts = await tech.connect(customer.id, customer.password!);
    expect((await cs).sas).toBe(ts.sas);
    await ts.end();
  });
});

describe('TRUST_PROXY', () => {
  async function openCustomers(url: string, n: number, forwardedFor: (i: number) => string): Promise<number[]> {
    const statuses: number[] = [];
    const sockets: WebSocket[] = [];
    for (let i = 0; i < n; i++) {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/customer`, { headers: { 'x-forwarded-for': forwardedFor(i) } });
      sockets.push(ws);
      statuses.push(
        await new Promise<number>((resolve) => {
          ws.on('open', () => resolve(101));
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => undefined);
        }),
      );
    }
    for (const ws of sockets) ws.terminate();
    return statuses;
  }

  it('without it, X-Forwarded-For is ignored: the per-address limit counts the real peer', async () => {
    await using srv = await startTestServer({ MAX_CONNECTIONS_PER_IP: '2' });
    expect(await openCustomers(srv.url, 3, (i) => `203.0.113.${i + 1}`)).toEqual([101, 101, 429]);
  });

  it('with it, the forwarded client address is used', async () => {
    await using srv = await startTestServer({ MAX_CONNECTIONS_PER_IP: '2', TRUST_PROXY: '127.0.0.1' });
    expect(await openCustomers(srv.url, 3, (i) => `203.0.113.${i + 1}`)).toEqual([101, 101, 101]);
    expect(await openCustomers(srv.url, 3, () => '203.0.113.9')).toEqual([101, 101, 429]);
  });
});
