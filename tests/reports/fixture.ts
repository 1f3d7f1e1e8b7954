import { AuditLog, auditDb, createLogger } from '@fernhilfe/server';
import type { TestServer } from '../support/server.js';

export const ADMIN = { login: 'boss', password: 'admin password that is long' };
export const EVA = { login: 'eva', password: 'eva password that is long' };

export interface Fixture {
  maxId: string;
  evaId: string;
  /** session ids by name */
  s: Record<'march1Max' | 'march2Eva' | 'march5Max' | 'feb28Max' | 'march1Nobody', string>;
}

const at = (iso: string) => Date.parse(iso);

/**
 * Known sessions straight into the database (times chosen by the test), with audit entries for the
 * first: two technicians, max and eva, an admin, and a customer nobody connected to.
 */
export async function seedReports(srv: TestServer): Promise<Fixture> {
  await srv.accounts.createUser({ login: ADMIN.login, password: ADMIN.password, role: 'admin', displayName: 'Boss', company: '' });
  await srv.accounts.createUser({ login: EVA.login, password: EVA.password, role: 'technician', displayName: 'Eva "=1+2" Beispiel', company: 'ACME' });
  const db = auditDb(srv.database.db);
  const users = await db.selectFrom('users').select(['id', 'login']).execute();
  const id = (login: string) => users.find((u) => u.login === login)!.id;
  const maxId = id('max');
  const evaId = id('eva');
  const rows = [
    ['march1Max', '2026-03-01T10:00:00Z', maxId, 1800],
    ['march2Eva', '2026-03-02T23:59:59Z', evaId, 600],
    ['march5Max', '2026-03-05T08:00:00Z', maxId, 90],
    ['feb28Max', '2026-02-28T23:59:59Z', maxId, 60],
    ['march1Nobody', '2026-03-01T12:00:00Z', null, 0],
  ] as const;
  const s = {} as Fixture['s'];
  let n = 100_000_001;
  for (const [name, opened, tech, seconds] of rows) {
    const sid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    s[name] = sid;
    const created = at(opened);
    await db
      .insertInto('support_sessions')
      .values({
        id: sid,
        customer_id: String(n++ + 100_000_000),
        terms_version: 'a'.repeat(64),
        capabilities: '[]',
        created_at: created,
        customer_addr: '192.0.2.7',
        technician_user_id: tech,
        connected_at: tech ? created + 30_000 : null,
        authenticated_at: tech ? created + 60_000 : null,
        ended_at: created + 60_000 + seconds * 1000,
        end_reason: tech ? 'technician:ended-by-technician' : 'customer:ended-by-customer',
      })
      .execute();
  }
  // entries dated inside their sessions
  let clock = 0;
  const audit = new AuditLog({ db, dialect: srv.database.dialect, logger: createLogger('silent'), now: () => (clock += 1000) });
  const file = { transferId: '0123456789abcdef', direction: 'to-customer', name: 'setup.exe', size: 1000 } as const;
  clock = at('2026-03-01T10:02:00Z');
  await audit.append({ sessionId: s.march1Max, event: 'control-granted', actor: 'customer', data: {} });
  // two transfers both ends reported (the technician's offer, the customer's completion) ...
  const second = { ...file, transferId: '0123456789abcdee', size: 24 };
  await audit.append({ sessionId: s.march1Max, event: 'file-offered', actor: `technician:${maxId}`, data: file });
  await audit.append({ sessionId: s.march1Max, event: 'file-offered', actor: `technician:${maxId}`, data: second });
  await audit.append({ sessionId: s.march1Max, event: 'file-completed', actor: 'customer', data: { ...file, sha256: 'c'.repeat(64) } });
  await audit.append({ sessionId: s.march1Max, event: 'file-completed', actor: 'customer', data: { ...second, sha256: 'd'.repeat(64) } });
  // ... and one completion nobody offered, and one whose size differs from the offer: claims, not counted
  await audit.append({ sessionId: s.march1Max, event: 'file-completed', actor: 'customer', data: { ...file, transferId: 'ffffffffffffffff', size: 9_000_000, sha256: 'e'.repeat(64) } });
  await audit.append({ sessionId: s.march1Max, event: 'file-offered', actor: `technician:${maxId}`, data: { ...file, transferId: 'fffffffffffffffe', size: 10 } });
  await audit.append({ sessionId: s.march1Max, event: 'file-completed', actor: 'customer', data: { ...file, transferId: 'fffffffffffffffe', size: 9_000_000, sha256: 'e'.repeat(64) } });
  await audit.append({ sessionId: s.march1Max, event: 'session-ended', actor: 'server', data: { by: 'technician', reason: 'ended-by-technician', relayedBytes: 123_456 } });
  clock = at('2026-03-03T00:02:00Z');
  await audit.append({ sessionId: s.march2Eva, event: 'control-granted', actor: 'customer', data: {} });
  return { maxId, evaId, s };
}
