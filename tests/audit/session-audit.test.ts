import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CustomerEndpoint, type SecureSession } from '@fernhilfe/client';
import { auditDb, type AuditEntry } from '@fernhilfe/server';
import { HttpSession } from '../server/http-session.js';
import { testBackends } from '../support/postgres.js';
import { nodeTransport, startTestServer, type TestServer } from '../support/server.js';
import { holdStill } from '../support/quiet.js';

const ADMIN_PASSWORD = 'admin password that is long';
const FILE_HASH = 'ab'.repeat(32);
const CHAT_SECRET = 'Chat-Inhalt 4711 darf nie ins Protokoll';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  return vi.waitFor(async () => (await probe()) ?? Promise.reject(new Error(`timed out waiting for ${what}`)), { timeout: ms, interval: 25 });
}

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('the audit trail of a whole session, and its receipt, on $name', (backend) => {
  let srv: TestServer;
  let admin: HttpSession;
  let customer: CustomerEndpoint;
  let sessionId: string;
  let entries: AuditEntry[];

  const sessionEntries = (id: string) => auditDb(srv.database.db).selectFrom('audit_log').selectAll().where('session_id', '=', id).orderBy('seq').execute();

  beforeAll(async () => {
    const { databaseUrl } = await backend.freshDatabase();
    srv = await startTestServer(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
    await srv.accounts.createUser({ login: 'boss', password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
    admin = new HttpSession(srv.url);
    await admin.login('boss', ADMIN_PASSWORD);

    customer = await srv.customer();
    const tech = await srv.technician();
    await expect(tech.connect(customer.id, 'zzzzzzz')).rejects.toThrow();
    await holdStill(300, 'the back-off after one failure (BACKOFF_BASE_MS=50)');
    const custSessionP = customer.once('session');
    const techSession = await tech.connect(customer.id, customer.password!);
    const custSession: SecureSession = await custSessionP;

    // the two endpoints report over two connections: wait, so the order on record is the order here
    const sid = (await srv.database.db.selectFrom('support_sessions').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow()).id;
    const onRecord = (event: string) => until(event, async () => ((await sessionEntries(sid)).some((e) => e.event === event) ? true : undefined));
    custSession.report({ event: 'control-granted' });
    custSession.report({ event: 'clipboard-allowed' });
    await onRecord('clipboard-allowed');
    const file = { transferId: '0123456789abcdef', direction: 'to-customer', name: 'treiber<script>.zip', size: 1234 } as const;
    techSession.report({ event: 'file-offered', ...file });
    await onRecord('file-offered');
    custSession.report({ event: 'file-accepted', ...file });
    custSession.report({ event: 'file-completed', ...file, sha256: FILE_HASH });
    custSession.report({ event: 'control-revoked' });
    const chat = techSession.once('control');
    await custSession.sendControl({ type: 'chat', text: CHAT_SECRET });
    await chat;
    const ended = techSession.once('ended');
    await customer.end();
    await ended;

    const row = await srv.database.db.selectFrom('support_sessions').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    sessionId = row.id;
    const rows = await until('the end on record', async () => {
      const r = await sessionEntries(sessionId);
      return r.some((e) => e.event === 'session-ended') ? r : undefined;
    });
    entries = rows.map((r) => ({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, time: r.time, sessionId: r.session_id, event: r.event, actor: r.actor, data: JSON.parse(r.data) as AuditEntry['data'] }));
  });
  afterAll(() => srv?.close());

  it('records every step in order, with the acceptance record', () => {
    expect(entries.map((e) => e.event)).toEqual([
      'session-opened',
      'terms-accepted',
      'technician-connected',
      'authentication-failed',
      'technician-connected',
      'session-authenticated',
      'control-granted',
      'clipboard-allowed',
      'file-offered',
      'file-accepted',
      'file-completed',
      'control-revoked',
      'session-ended',
    ]);
    const accepted = entries[1]!;
    expect(accepted).toMatchObject({ actor: 'customer', data: { termsVersion: srv.terms().version, language: 'de', customerAddr: '127.0.0.1' } });
    expect(accepted.data.acceptedAt).toEqual(expect.any(Number));
    const techId = entries[2]!.data.technicianUserId as string;
    expect(entries[2]).toMatchObject({ actor: `technician:${techId}`, data: { displayName: 'Max Mustermann', company: 'Beispiel GmbH' } });
    expect(entries.find((e) => e.event === 'file-offered')?.actor).toBe(`technician:${techId}`);
    expect(entries.find((e) => e.event === 'file-completed')).toMatchObject({ actor: 'customer', data: { name: 'treiber<script>.zip', size: 1234, sha256: FILE_HASH, direction: 'to-customer' } });
    expect(entries.at(-1)).toMatchObject({ actor: 'customer', data: { by: 'customer', reason: 'ended-by-customer' } });
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.seq).toBeGreaterThan(entries[i - 1]!.seq);
  });

  it('never records chat contents or the password', async () => {
    const all = await auditDb(srv.database.db).selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(all);
    expect(text).not.toContain('4711');
    expect(text).not.toContain('zzzzzzz');
  });

  it('the chain verifies, for an admin only', async () => {
    const ok = await admin.call('GET', '/api/admin/audit/verify');
    expect(ok.body).toMatchObject({ ok: true, headSeq: expect.any(Number) as number });
    const list = await admin.call('GET', `/api/admin/audit?session=${sessionId}&limit=5`);
    expect((list.body as { entries: AuditEntry[] }).entries.map((e) => e.event)).toEqual(['session-ended', 'control-revoked', 'file-completed', 'file-accepted', 'file-offered']);
  });

  it('gives the customer a signed receipt that /verify calls genuine, and not with one character changed', async () => {
    expect(customer.receiptToken).toMatch(/^[0-9a-f]{64}$/);
    const anonymous = new HttpSession(srv.url);
    const got = await anonymous.call('POST', '/receipt', { body: { token: customer.receiptToken } });
    expect(got.status).toBe(200);
    const signed = got.body as { receipt: Record<string, unknown>; signature: { publicKey: string; value: string } };
    expect(signed.receipt).toMatchObject({
      format: 'fernhilfe-receipt/1',
      operator: { companyName: 'Fernhilfe' },
      technician: { displayName: 'Max Mustermann', company: 'Beispiel GmbH' },
      session: { id: sessionId, customerId: customer.id, termsVersion: srv.terms().version, language: 'de', endedBy: 'customer', endReason: 'ended-by-customer' },
    });
    const events = signed.receipt.events as { event: string; data: Record<string, unknown>; entryHash: string }[];
    expect(events.find((e) => e.event === 'file-completed')?.data).toMatchObject({ sha256: FILE_HASH, name: 'treiber<script>.zip' });
    expect(events.map((e) => e.entryHash)).toEqual(entries.map((e) => e.hash));
    const key = await anonymous.call('GET', '/receipt/public-key');
    expect(key.body).toEqual({ alg: 'Ed25519', publicKey: signed.signature.publicKey });

    const text = JSON.stringify(signed);
    const verifyText = async (body: string) => {
      const res = await fetch(`${srv.url}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return (await res.json()) as { genuine: boolean; reason: string };
    };
    expect(await verifyText(text)).toEqual({ genuine: true, reason: 'genuine' });
    expect(await verifyText(JSON.stringify(JSON.parse(text), null, 2))).toEqual({ genuine: true, reason: 'genuine' }); // layout does not matter
    // one character changed, anywhere that still parses: never genuine
    const positions = [text.indexOf('treiber') + 1, text.indexOf('Max') + 1, text.indexOf(FILE_HASH) + 5, text.indexOf('"value":"') + 12];
    for (const at of positions) {
      const c = text[at]!;
      const changed = text.slice(0, at) + (c === 'a' ? 'b' : 'a') + text.slice(at + 1);
      expect(await verifyText(changed), `changed at ${at}`).toMatchObject({ genuine: false });
    }
    expect(await verifyText(text.replace('{"receipt"', '["receipt"'))).toEqual({ genuine: false, reason: 'not-a-receipt' });
    expect(await verifyText(text.slice(0, -1))).toEqual({ genuine: false, reason: 'not-a-receipt' });
  });

  it('gives nothing for an unknown or malformed receipt token', async () => {
    const anonymous = new HttpSession(srv.url);
    expect((await anonymous.call('POST', '/receipt', { body: { token: 'f'.repeat(64) } })).status).toBe(404);
    expect((await anonymous.call('POST', '/receipt', { body: { token: '../etc' } })).status).toBe(400);
  });
});

describe('terms', () => {
  it('a session cannot start without the accepted terms; a change makes a new version, the old one stays readable', async () => {
    await using srv = await startTestServer();
    await srv.accounts.createUser({ login: 'boss', password: ADMIN_PASSWORD, role: 'admin', displayName: 'Boss', company: '' });
    const admin = new HttpSession(srv.url);
    await admin.login('boss', ADMIN_PASSWORD);
    const old = srv.terms().version;
    const open = (termsVersion: string) =>
      CustomerEndpoint.open({ url: `${srv.url.replace(/^http/, 'ws')}/ws/customer`, transport: nodeTransport, termsVersion, language: 'en', capabilities: [] });

    const texts = { de: '# Neue Bedingungen\n\n1. Neu.', en: '# New terms\n\n1. New.' };
    const put = await admin.call('PUT', '/api/admin/terms', { body: texts });
    expect(put.status).toBe(200);
    const { version } = put.body as { version: string };
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    expect(version).not.toBe(old);
    expect(srv.terms().version).toBe(version);
    expect((await new HttpSession(srv.url).call('GET', '/api/terms')).body).toEqual({ version, text: texts });

    await expect(open(old)).rejects.toThrow(/terms-outdated/);
    await expect(open('0'.repeat(64))).rejects.toThrow(/terms-outdated/);
    const fresh = await open(version);
    await fresh.end();
    const rows = await srv.database.db.selectFrom('support_sessions').select(['terms_version']).execute();
    expect(rows).toEqual([{ terms_version: version }]); // the refused registrations left nothing behind

    expect((await new HttpSession(srv.url).call('GET', `/terms/${old}`)).body).toMatchObject({ version: old, text: { de: expect.stringContaining('Fernwartung') as string } });
    const listed = await admin.call('GET', '/api/admin/terms');
    expect((listed.body as { versions: { version: string; current: boolean }[] }).versions.map((v) => [v.version, v.current])).toEqual([
      [version, true],
      [old, false],
    ]);
    const same = await admin.call('PUT', '/api/admin/terms', { body: texts });
    expect(same.body).toEqual({ version, changed: false });
    expect((await admin.call('PUT', '/api/admin/terms', { body: { de: ' ', en: 'x' } })).status).toBe(400);
    const changes = await auditDb(srv.database.db).selectFrom('audit_log').select(['event', 'data']).where('event', '=', 'terms-changed').execute();
    expect(changes).toEqual([{ event: 'terms-changed', data: JSON.stringify({ version }) }]);
  });
});
