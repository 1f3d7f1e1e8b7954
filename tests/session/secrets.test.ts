import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, ConnectError, ConsoleApi, type SecureSession, type TechnicianEndpoint } from '@fernhilfe/client';
import { generatePassword, resumePublicKey, toHex } from '@fernhilfe/protocol';
import { startCutProxy } from '../support/cut-proxy.js';
import { encodedForms, findNeedles, textForms, type Needle } from '../support/hostile-proxy.js';
import { TECH_LOGIN, TECH_PASSWORD, startTestServer } from '../support/server.js';
import { holdStill } from '../support/quiet.js';
import { untilResumeReady } from '../support/resume-ready.js';

type KeyLogEntry = { label: string; bytes: Buffer };
function keyLogInto(into: KeyLogEntry[]) {
  // copy: the client wipes the ISK and the session secrets right after logging them
  return (label: string, bytes: Uint8Array) => void into.push({ label, bytes: Buffer.from(bytes) });
}

/** connect(), waiting out the back-off between attempts; a ConnectError other than rate-limited is returned. */
async function connect(tech: TechnicianEndpoint, id: string, password: string): Promise<SecureSession | ConnectError> {
  for (let i = 0; ; i++) {
    const r = await tech.connect(id, password).catch((err: unknown) => {
      if (err instanceof ConnectError) return err;
      throw err;
    });
    if (!(r instanceof ConnectError) || r.reason !== 'rate-limited' || i >= 10) return r;
    await holdStill((r.retryAfterMs ?? 0) + 10, 'the back-off the server asked for');
  }
}

function wrongGuess(password: string): string {
  for (;;) {
    const g = generatePassword();
    if (g !== password) return g;
  }
}

/** Every file of the SQLite database (main file, -wal, -shm, journals) as raw bytes. */
function databaseBytes(dir: string): { files: string[]; bytes: Buffer } {
  const files = readdirSync(dir).filter((f) => statSync(path.join(dir, f)).isFile());
  return { files, bytes: Buffer.concat(files.map((f) => readFileSync(path.join(dir, f)))) };
}

describe('secrets never reach the server', () => {
  it('the database files and the logs hold no password, wrong guess or session key; IDs and logins are there', async () => {
    await using srv = await startTestServer();
    const keys: KeyLogEntry[] = [];
    const keyLog = keyLogInto(keys);
    const guesses: string[] = [];

    // a technician fails to sign in to the console once, with a wrong account password
    const wrongAccountPassword = 'Wrong Account Passphrase 7391';
    const refused = await new ConsoleApi(srv.url, true).login(TECH_LOGIN, wrongAccountPassword).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);

    // customer A: two wrong guesses, then the right password, a session with chat, ended by the technician
    const a = await srv.customer({ keyLog });
    const passwordA = a.password!;
    const techA = await srv.technician({ keyLog });
    for (let i = 0; i < 2; i++) {
      const g = wrongGuess(passwordA);
      guesses.push(g);
      const r = await connect(techA, a.id, g);
      expect(r).toBeInstanceOf(ConnectError);
      expect((r as ConnectError).reason).toBe('wrong-credentials');
    }
    expect(a.failedAttempts).toBe(2);
    const custSessionA = a.once('session');
    const sessionA = await connect(techA, a.id, passwordA);
    expect(sessionA).not.toBeInstanceOf(ConnectError);
    const techSessionA = sessionA as SecureSession;
    const chat = (await custSessionA).once('control');
    await techSessionA.sendControl({ type: 'chat', text: 'Ihr Passwort bitte nie vorlesen.' });
    expect(await chat).toEqual({ type: 'chat', text: 'Ihr Passwort bitte nie vorlesen.' });
    const sas = techSessionA.sas;
    const aEnded = a.once('ended');
    await techSessionA.end();
    expect(await aEnded).toMatchObject({ reason: 'ended-by-technician' });

    // customer B: one wrong guess (a new technician connection), then the customer closes the module
    const b = await srv.customer({ keyLog });
    const passwordB = b.password!;
    const techB = await srv.technician({ keyLog });
    const g = wrongGuess(passwordB);
    guesses.push(g);
    const rb = await connect(techB, b.id, g);
    expect((rb as ConnectError).reason).toBe('wrong-credentials');
    await b.end();
    techB.close();

    // the server has recorded all of it (so the files below hold the sessions), then search
    const db = srv.database.db;
    const rows = await vi.waitFor(async () => {
      const found = await db.selectFrom('support_sessions').select(['customer_id', 'ended_at', 'failed_attempts', 'authenticated_at']).execute();
      if (found.length !== 2 || found.some((r) => r.ended_at === null)) throw new Error(`the sessions were not recorded: ${JSON.stringify(found)}`);
      return found;
    }, { timeout: 5000, interval: 20 });
    const byId = new Map(rows.map((r) => [r.customer_id, r]));
    expect(byId.get(a.id)).toMatchObject({ failed_attempts: 2, authenticated_at: expect.any(Number) });
    expect(byId.get(b.id)).toMatchObject({ failed_attempts: 1, authenticated_at: null });

    // ten secrets per side (incl. the ACK keys and resume seeds) for each of the 4 attempts (3 wrong guesses, 1 right)
    expect(keys.length).toBe(10 * 2 * 4);
    expect(keys.every((k) => k.bytes.length >= 16 && k.bytes.some((x) => x !== 0))).toBe(true);

    const { files, bytes: dbBytes } = databaseBytes(srv.dataDir);
    expect(files).toContain('fernhilfe.sqlite');
    const logs = Buffer.from(srv.logText(), 'utf8');
    expect(logs.length).toBeGreaterThan(1000);

    // positive controls: the search finds what must be there
    expect(findNeedles(dbBytes, [a.id, b.id, TECH_LOGIN, 'Max Mustermann'].map((s) => ({ label: s, bytes: Buffer.from(s, 'utf8') })))).toHaveLength(4);
    expect(findNeedles(logs, [a.id, b.id].map((s) => ({ label: s, bytes: Buffer.from(s, 'utf8') })))).toHaveLength(2);
    const isk = keys.find((k) => k.label === 'isk')!.bytes;
    const planted = Buffer.concat([dbBytes, Buffer.from(Buffer.concat([Buffer.of(1), isk]).toString('base64')), Buffer.from(passwordA.toUpperCase())]);
    expect(findNeedles(planted, [...encodedForms('isk', isk), ...textForms('password A', passwordA)])).toEqual(
      expect.arrayContaining(['isk (base64 @2)', 'password A upper case (raw)']),
    );

    const secrets: Needle[] = [
      ...textForms('customer A password', passwordA),
      ...textForms('customer B password', passwordB),
      ...guesses.flatMap((guess, i) => textForms(`wrong guess ${i + 1}`, guess)),
      ...keys.flatMap((k, i) => encodedForms(`key log #${i} ${k.label}`, k.bytes)),
      ...textForms('technician account password', TECH_PASSWORD),
      ...textForms('wrong account password', wrongAccountPassword),
      { label: 'SAS', bytes: Buffer.from(sas, 'utf8') },
    ];
    expect(findNeedles(dbBytes, secrets)).toEqual([]);
    expect(findNeedles(logs, secrets)).toEqual([]);
  });

  it('after a session that was resumed (both sides cut once): no resume seed, ACK key or private key in the database or the logs', async () => {
    await using srv = await startTestServer();
    await using proxy = await startCutProxy(srv.url);
    const keys: KeyLogEntry[] = [];
    const keyLog = keyLogInto(keys);
    const customer = await srv.customer({ url: proxy.url, keyLog });
    const tech = await srv.technician({ url: proxy.url, keyLog });
    const custSessionP = customer.once('session');
    const techSession = await tech.connect(customer.id, customer.password!);
    const custSession = await custSessionP;
    await untilResumeReady(proxy);
    for (const side of ['customer', 'technician'] as const) {
      const back = Promise.all([techSession.once('reconnected'), custSession.once('reconnected')]);
      proxy.block(300, side);
      proxy.cut(side);
      await back;
    }
    const chat = custSession.once('control');
    await techSession.sendControl({ type: 'chat', text: 'wieder da' });
    expect(await chat).toEqual({ type: 'chat', text: 'wieder da' });
    const ended = custSession.once('ended');
    await techSession.end();
    await ended;
    // the server has recorded the end (the files below hold the whole session)
    await vi.waitFor(async () => expect((await srv.database.db.selectFrom('support_sessions').select('ended_at').where('customer_id', '=', customer.id).executeTakeFirst())?.ended_at, 'the end on record').toEqual(expect.any(Number)), { timeout: 5000 });

    const logs = Buffer.from(srv.logText(), 'utf8');
    expect(logs.toString()).toMatch(/connection resumed/);
    const labels = keys.map((k) => k.label);
    expect(labels).toEqual(expect.arrayContaining(['resume-seed-customer', 'resume-seed-technician', 'ack-t2c', 'ack-c2t', 'resume']));
    const { bytes: dbBytes } = databaseBytes(srv.dataDir);
    const secrets = keys.flatMap((k, i) => encodedForms(`key log #${i} ${k.label}`, k.bytes));
    expect(findNeedles(dbBytes, secrets)).toEqual([]);
    expect(findNeedles(logs, secrets)).toEqual([]);
    // the public resume keys crossed the wire (they are not secret), but the server does not log them either
    const publicKeys = keys.filter((k) => k.label.startsWith('resume-seed-')).map((k) => ({ label: k.label, bytes: Buffer.from(toHex(resumePublicKey(k.bytes))) }));
    expect(findNeedles(logs, publicKeys)).toEqual([]);
  });
});
