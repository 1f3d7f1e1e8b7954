import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../server/http-session.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { EVIL_SVG } from './fixtures.js';

const ADMIN_PASSWORD = 'admin password that is long';
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/pV5GWwAAAABJRU5ErkJggg==';

describe('the logo', () => {
  let srv: TestServer;
  let admin: HttpSession;
  beforeAll(async () => {
    srv = await startTestServer();
    await srv.accounts.createUser({ login: 'boss', password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
    admin = new HttpSession(srv.url);
    await admin.login('boss', ADMIN_PASSWORD);
  });
  afterAll(() => srv?.close());

  it('an SVG loses every script, handler, link and external reference, and is served inert', async () => {
    const put = await admin.call('PUT', '/api/admin/branding/logo', { body: { type: 'image/svg+xml', data: Buffer.from(EVIL_SVG).toString('base64') } });
    expect(put.status).toBe(200);
    const res = await fetch(`${srv.url}/branding/logo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg[\s>]/);
    expect(svg).toContain('<rect');
    expect(svg).toContain('ACME');
    for (const bad of [/script/i, /onload/i, /onclick/i, /javascript:/i, /foreignObject/i, /iframe/i, /evil\.example/i, /alert/i]) expect(svg).not.toMatch(bad);
    const entry = await srv.database.db.withTables<{ audit_log: { event: string; data: string } }>().selectFrom('audit_log').select(['event', 'data']).where('event', '=', 'logo-changed').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.data)).toMatchObject({ type: 'image/svg+xml', size: Buffer.byteLength(svg) });
  });

  it('a PNG is kept byte for byte; anything else is refused with the reason', async () => {
    expect((await admin.call('PUT', '/api/admin/branding/logo', { body: { type: 'image/png', data: PNG_1x1 } })).status).toBe(200);
    const res = await fetch(`${srv.url}/branding/logo`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(PNG_1x1, 'base64'))).toBe(true);

    const refused = [
      [{ type: 'image/png', data: Buffer.from('<svg/>').toString('base64') }, /not a PNG/],
      [{ type: 'text/html', data: 'PGI+' }, /image\/png or image\/svg\+xml/],
      [{ type: 'image/svg+xml', data: Buffer.from('<html><script>alert(1)</script></html>').toString('base64') }, /not an SVG/],
      [{ type: 'image/png', data: 'not base64!' }, /base64/],
    ] as const;
    for (const [body, reason] of refused) {
      const r = await admin.call('PUT', '/api/admin/branding/logo', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.body as { error: { message: string } }).error.message).toMatch(reason);
    }
    expect((await fetch(`${srv.url}/branding/logo`)).headers.get('content-type')).toBe('image/png'); // unchanged

    expect((await admin.call('DELETE', '/api/admin/branding/logo')).status).toBe(200);
    expect((await fetch(`${srv.url}/branding/logo`)).status).toBe(404);
  });
});
