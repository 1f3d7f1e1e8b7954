import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecureSession } from '@fernhilfe/client';
import { auditDb } from '@fernhilfe/server';
import { HttpSession } from '../server/http-session.js';
import { within } from '../support/resume-kit.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ADMIN } from './fixture.js';
import { parseCsv } from './parse-csv.js';

const HASH = 'ab'.repeat(32);
const file = (transferId: string, size: number) => ({ transferId, direction: 'to-customer', name: 'tool.zip', size }) as const;

/**
 * Endpoint reports are believed only from the side that can know the fact, within the operator's
 * file policy and a per-session quota; the billing CSV counts what the server saw (issue 14, finding 10).
 */
describe('what an endpoint can claim for the audit trail and the bill', () => {
  let srv: TestServer;
  let admin: HttpSession;

  beforeAll(async () => {
    srv = await startTestServer({ FILES_MAX_BYTES: '1000', REPORTS_PER_SESSION: '20' });
    await srv.accounts.createUser({ login: ADMIN.login, password: ADMIN.password, role: 'admin', displayName: 'Boss', company: '' });
    admin = new HttpSession(srv.url);
    await admin.login(ADMIN.login, ADMIN.password);
  });
  afterAll(() => srv?.close());

  const db = () => auditDb(srv.database.db);
  const open = async () => {
    const customer = await srv.customer();
    const tech = await srv.technician();
    const custSession = customer.once('session');
    const techSession = await tech.connect(customer.id, customer.password!);
    const sid = (await db().selectFrom('support_sessions').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow()).id;
    return { customer, cust: (await custSession) as SecureSession, tech: techSession, sid };
  };
  const entries = (sid: string) => db().selectFrom('audit_log').select(['event', 'actor', 'data']).where('session_id', '=', sid).orderBy('seq').execute();
  const onRecord = (sid: string, event: string, count = 1) => expect.poll(async () => (await entries(sid)).filter((e) => e.event === event).length, { timeout: 5_000 }).toBe(count);
  // the wait for the end: 5 s, far more than a refused report needs; a session still running after it fails the test
  const endedWith = (s: SecureSession) => within(s.once('ended') as Promise<{ detail?: string }>, 5_000, 'the end of the session');

  it('a technician cannot report the customer\'s consent: not recorded, not counted, and the technician is told why', async () => {
    const relayedBefore = srv.relayMeter.bytes;
    const { cust, tech, sid } = await open();
    cust.report({ event: 'control-granted' });
    await onRecord(sid, 'control-granted');
    tech.report({ event: 'file-offered', ...file('0123456789abcdef', 500) });
    await onRecord(sid, 'file-offered');
    cust.report({ event: 'file-completed', ...file('0123456789abcdef', 500), sha256: HASH });
    await onRecord(sid, 'file-completed');
    const chat = tech.once('control');
    await cust.sendControl({ type: 'chat', text: 'hallo' });
    await chat;

    const techEnded = endedWith(tech);
    tech.report({ event: 'control-granted' });
    tech.report({ event: 'clipboard-allowed' });
    expect((await techEnded).detail).toMatch(/report not recorded: only the customer's side can report control-granted/);
    await onRecord(sid, 'session-ended');
    const recorded = await entries(sid);
    expect(recorded.filter((e) => e.event === 'control-granted').map((e) => e.actor)).toEqual(['customer']);
    expect(recorded.some((e) => e.event === 'clipboard-allowed')).toBe(false);

    const res = await fetch(`${srv.url}/api/reports/sessions.csv`, { headers: { cookie: admin.cookie! } });
    const [header, ...rows] = parseCsv(await res.text());
    const row = Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === sid)![i]]));
    expect(row).toMatchObject({ control_granted: '1', files_transferred: '1', bytes_transferred: '500' });
    // the relayed bytes are the server's own count of this session's frames
    expect(Number(row.relayed_bytes)).toBe(srv.relayMeter.bytes - relayedBefore);
    expect(Number(row.relayed_bytes)).toBeGreaterThan(0);
  });

  it('a file over FILES_MAX_BYTES cannot be put on record', async () => {
    const { cust, tech, sid } = await open();
    tech.report({ event: 'file-offered', ...file('0123456789abcdef', 999) });
    await onRecord(sid, 'file-offered');
    const custEnded = endedWith(cust);
    cust.report({ event: 'file-completed', ...file('1123456789abcdef', 5_000_000), sha256: HASH });
    expect((await custEnded).detail).toMatch(/over this server's limit of 1000 bytes/);
    await onRecord(sid, 'session-ended');
    expect((await entries(sid)).map((e) => e.event)).not.toContain('file-completed');
  });

  it('an endpoint gets REPORTS_PER_SESSION reports on record, no more', async () => {
    const { cust, sid } = await open();
    const ended = endedWith(cust);
    for (let i = 0; i < 30; i++) cust.report({ event: i % 2 ? 'control-revoked' : 'control-granted' });
    expect((await ended).detail).toMatch(/more than 20 reports/);
    await onRecord(sid, 'session-ended');
    const recorded = (await entries(sid)).filter((e) => e.event.startsWith('control-'));
    expect(recorded).toHaveLength(20);
  });
});
