import { afterAll, describe, expect, it, vi } from 'vitest';
import { CustomerEndpoint, RegistrationError, type ConnectError } from '@fernhilfe/client';
import { caseLink, decryptCaseDescription, deriveCaseKeys, encryptCaseDescription, formatCaseCode, newCaseCredentials, parseCaseCode, toHex, type CaseCredentials, type SupportCase } from '@fernhilfe/protocol';
import { testBackends } from '../support/postgres.js';
import { findNeedles, textForms } from '../support/hostile-proxy.js';
import { databaseBytes } from '../support/sqlite-bytes.js';
import { nodeTransport, startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { rawCustomer, type RawCustomer } from './raw-customer.js';
import { HttpSession } from './http-session.js';

const backends = testBackends();
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

const DESCRIPTION = 'Der Drucker im Büro druckt nur noch leere Seiten.';

/** A case as the console makes it: credentials in the browser, only the join proof to the server. */
async function createCase(tech: HttpSession, customerName = 'Erika Musterfrau'): Promise<{ creds: CaseCredentials; reply: SupportCase }> {
  const creds = newCaseCredentials();
  const { joinProof } = await deriveCaseKeys(creds);
  const res = await tech.call('POST', '/api/cases', { body: { id: creds.caseId, customerName, note: 'rief um 9 Uhr an', joinProof } });
  expect(res.status).toBe(200);
  return { creds, reply: res.body as SupportCase };
}

/** The customer's page in Node: joins the case with the sealed description; the secret is the password. */
async function join(srv: TestServer, creds: CaseCredentials, description = DESCRIPTION): Promise<CustomerEndpoint> {
  const keys = await deriveCaseKeys(creds);
  const sealed = await encryptCaseDescription(keys, creds.caseId, description);
  return CustomerEndpoint.open({
    url: `${srv.url.replace(/^http/, 'ws')}/ws/customer`,
    transport: nodeTransport,
    termsVersion: srv.terms().version,
    language: 'de',
    capabilities: ['screen', 'chat'],
    case: { id: creds.caseId, proof: keys.joinProof, description: sealed },
    password: creds.secret,
  });
}

const refusal = (p: Promise<unknown>) => p.then(() => 'joined', (e: unknown) => (e instanceof RegistrationError ? e.reason : String(e)));

async function listed(tech: HttpSession, id: string): Promise<SupportCase> {
  const res = await tech.call('GET', '/api/cases');
  expect(res.status).toBe(200);
  const found = (res.body as { cases: SupportCase[] }).cases.find((c) => c.id === id);
  expect(found).toBeDefined();
  return found!;
}

/** A raw join with a made-up proof (no KDF): what a guesser sends. */
async function rawJoin(srv: TestServer, caseId: string): Promise<RawCustomer['messages'][number]> {
  const c = await rawCustomer(srv.url);
  c.send({ type: 'register', termsVersion: srv.terms().version, language: 'de', capabilities: [], case: { id: caseId, proof: toHex(crypto.getRandomValues(new Uint8Array(32))), description: 'ab'.repeat(40) } });
  await c.closed;
  return c.messages[0] ?? { type: 'none' };
}

describe('the case code', () => {
  it('reads typed with spaces, dashes, lower case and look-alikes, and in the link only in the fragment', () => {
    const creds = newCaseCredentials();
    const code = formatCaseCode(creds);
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{3}-){5}[0-9A-HJKMNP-TV-Z]{3}$/);
    expect(parseCaseCode(code)).toEqual(creds);
    expect(parseCaseCode(code.replace(/-/g, ' ').toLowerCase())).toEqual(creds);
    expect(parseCaseCode(code.replace(/0/g, 'O').replace(/1/g, 'l'))).toEqual(creds);
    expect(parseCaseCode(code.slice(1))).toBeUndefined();
    const link = new URL(caseLink('https://support.example', creds));
    expect(link.pathname + link.search).toBe('/');
    expect(link.hash).toBe(`#case=${creds.caseId}.${creds.secret}`);
  });
});

describe.each(backends)('support cases on $name', (backend) => {
  it('creates, joins, takes, closes and expires cases; refuses wrong, used and expired codes; keeps no secret', async () => {
    const { databaseUrl } = await backend.freshDatabase();
    await using srv = await startTestServer(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
    const admin = await srv.accounts.createUser({ login: 'anna', password: 'anna password long enough', role: 'admin', displayName: 'Anna Admin', company: '' });
    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);

    // validation at the boundary, in plain words
    const bad = await tech.call('POST', '/api/cases', { body: { id: 'lower!', customerName: '', note: 'x', joinProof: 'nope' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/case ID has 6 characters/);
    expect(JSON.stringify(bad.body)).toMatch(/name is missing/);

    const { creds, reply } = await createCase(tech);
    expect(reply).toMatchObject({ state: 'waiting', customerName: 'Erika Musterfrau', assignee: { name: 'Max Mustermann' }, present: false, description: null });
    expect(reply.expiresAt - reply.createdAt).toBe(24 * 3_600_000);
    const again = await tech.call('POST', '/api/cases', { body: { id: creds.caseId, customerName: 'x', note: '', joinProof: '0'.repeat(64) } });
    expect(again.status).toBe(409);

    // a wrong secret for a real case, and an unknown case: refused alike
    const wrong = { caseId: creds.caseId, secret: newCaseCredentials().secret };
    expect(await refusal(join(srv, wrong))).toBe('case-refused');
    expect(await refusal(join(srv, newCaseCredentials()))).toBe('case-refused');
    expect((await listed(tech, creds.caseId)).present).toBe(false);

    // the right code: the customer waits for the assignee; the queue gets the sealed description
    // (the wrong secret gave the case a back-off of BACKOFF_BASE_MS: the right code waits it out)
    const customer = await vi.waitFor(() => join(srv, creds), { timeout: 10_000 });
    expect(customer.caseTechnician).toBe('Max Mustermann');
    const waiting = await listed(tech, creds.caseId);
    expect(waiting).toMatchObject({ state: 'waiting', present: true });
    expect(await decryptCaseDescription(await deriveCaseKeys(creds), creds.caseId, waiting.description!)).toBe(DESCRIPTION);
    // one customer per case
    expect(await refusal(join(srv, creds))).toBe('case-refused');

    // assign: to an unknown account no, to the admin yes
    expect((await tech.call('POST', `/api/cases/${creds.caseId}/assign`, { body: { userId: 'nobody' } })).status).toBe(409);
    const assigned = await tech.call('POST', `/api/cases/${creds.caseId}/assign`, { body: { userId: admin.id } });
    expect(assigned.body).toMatchObject({ assignee: { id: admin.id, name: 'Anna Admin' } });

    // take: the customer ID, once; the secret is the password of the ordinary pairing
    const taken = await tech.call('POST', `/api/cases/${creds.caseId}/take`, { body: {} });
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({ customerId: customer.id });
    expect((await tech.call('POST', `/api/cases/${creds.caseId}/take`, { body: {} })).status).toBe(409);
    const endpoint = await srv.technician();
    const custSession = customer.once('session');
    const session = await endpoint.connect(customer.id, creds.secret);
    await custSession;
    expect((await listed(tech, creds.caseId)).state).toBe('in-session');
    const ended = customer.once('ended');
    await session.end();
    await ended;
    await vi.waitFor(async () => expect((await listed(tech, creds.caseId)).state).toBe('done'));
    // dead like a used password
    expect(await refusal(join(srv, creds))).toBe('case-refused');
    const closed = await tech.call('POST', `/api/cases/${creds.caseId}/close`, { body: { note: 'Treiber neu installiert' } });
    expect(closed.body).toMatchObject({ state: 'done', closeNote: 'Treiber neu installiert' });

    // an expired case: refused like a wrong code, listed as expired, audited
    const old = await createCase(tech, 'Otto Normal');
    await srv.database.db.updateTable('support_cases').set({ expires_at: Date.now() - 1 }).where('id', '=', old.creds.caseId).execute();
    expect(await vi.waitFor(() => refusal(join(srv, old.creds)).then((r) => (r === 'case-refused' ? r : Promise.reject(new Error(r)))), { timeout: 10_000 })).toBe('case-refused');
    expect((await listed(tech, old.creds.caseId)).state).toBe('expired');
    expect((await tech.call('POST', `/api/cases/${old.creds.caseId}/take`, { body: {} })).status).toBe(409);
    expect((await tech.call('POST', '/api/cases/ZZZZZZ/take', { body: {} })).status).toBe(404);

    const events = await srv.database.db.selectFrom('audit_log' as never).select(['event' as never]).execute();
    const names = (events as { event: string }[]).map((e) => e.event);
    for (const e of ['case-created', 'case-assigned', 'case-taken', 'case-closed', 'case-expired']) expect(names).toContain(e);

    // the server keeps neither the secret, the code, nor the description: not in the database, not in the logs
    const needles = [...textForms('secret', creds.secret), ...textForms('code', formatCaseCode(creds)), ...textForms('description', DESCRIPTION), ...textForms('old secret', old.creds.secret)];
    const stored = backend.name === 'sqlite' ? databaseBytes(srv.dataDir) : Buffer.from(JSON.stringify(await dumpTables(srv)), 'utf8');
    expect(findNeedles(stored, textForms('case id', creds.caseId))).not.toEqual([]); // the search can find things
    expect(findNeedles(stored, needles)).toEqual([]);
    expect(findNeedles(Buffer.from(srv.logText(), 'utf8'), needles)).toEqual([]);
  });

  it('counts wrong codes in the same limits as wrong passwords', async () => {
    const { databaseUrl } = await backend.freshDatabase();
    await using srv = await startTestServer({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), BACKOFF_BASE_MS: '60000' });
    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const { creds } = await createCase(tech);
    // one wrong proof: the case gets the back-off of a target, so even the right code waits now
    expect(await rawJoin(srv, creds.caseId)).toMatchObject({ type: 'error', code: 'case-refused' });
    const limited = await rawJoin(srv, creds.caseId);
    expect(limited).toMatchObject({ type: 'error', code: 'case-refused' });
    expect(limited.retryAfterMs).toBeGreaterThan(30_000);
    expect(await refusal(join(srv, creds))).toBe('case-refused');
    // guesses spread over many cases fill the address's window, which a technician's connect shares
    for (let i = 0; i < 30; i++) await rawJoin(srv, newCaseCredentials().caseId);
    const customer = await srv.customer();
    const endpoint = await srv.technician();
    const refused = (await endpoint.connect(customer.id, customer.password!).catch((e: unknown) => e)) as ConnectError;
    expect(refused.reason).toBe('rate-limited');
  });
});

async function dumpTables(srv: TestServer): Promise<unknown> {
  const db = srv.database.db;
  return {
    cases: await db.selectFrom('support_cases').selectAll().execute(),
    sessions: await db.selectFrom('support_sessions').selectAll().execute(),
    audit: await db.selectFrom('audit_log' as never).selectAll().execute(),
  };
}
