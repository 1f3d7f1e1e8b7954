import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountService, createDatabase, createLogger, migrateToLatest, TOTP_PERIOD_SECONDS } from '@fernhilfe/server';
import { databaseBytes } from '../support/sqlite-bytes.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';

const codeFor = (secret: string, steps = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * TOTP_PERIOD_SECONDS * 1000 });

async function storedSecret(dataDir: string, login: string): Promise<string | null> {
  const database = await createDatabase({ dataDir });
  try {
    return (await database.db.selectFrom('users').select('totp_secret').where('login', '=', login).executeTakeFirstOrThrow()).totp_secret;
  } finally {
    await database.close();
  }
}

describe('TOTP secrets at rest', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-totp-rest-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const start = async (dir: string): Promise<TestServer> => {
    const srv = await startTestServer({ DATA_DIR: dir });
    cleanup.push(() => srv.close());
    return srv;
  };
  const stop = async (srv: TestServer) => {
    await srv.close();
    cleanup.pop();
  };
  const login = (srv: TestServer, totp?: string) => new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD, totp === undefined ? {} : { totp });

  it('are stored encrypted: the database file holds no secret in clear, and two-factor sign-in still works after a restart', async () => {
    const dir = dataDir();
    const srv = await start(dir);
    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const { secret } = (await tech.call('POST', '/api/auth/totp/setup', { body: {} })).body as { secret: string };
    expect((await tech.call('POST', '/api/auth/totp/enable', { body: { code: codeFor(secret) } })).status).toBe(204);
    await stop(srv);

    const raw = Secret.fromBase32(secret).bytes;
    const bytes = databaseBytes(dir);
    for (const form of [secret, secret.toLowerCase(), Buffer.from(raw).toString('hex'), Buffer.from(raw).toString('base64')]) expect(bytes.includes(Buffer.from(form))).toBe(false);
    expect(bytes.includes(Buffer.from(raw))).toBe(false);
    expect(await storedSecret(dir, TECH_LOGIN)).toMatch(/^enc1:[A-Za-z0-9_-]+$/);

    const again = await start(dir);
    expect((await login(again)).status).toBe(401); // the code is still required
    expect((await login(again, codeFor(secret, 1))).status).toBe(200);
  });

  it('stored in clear by an older version are encrypted at the next start, and keep working', async () => {
    const dir = dataDir();
    const database = await createDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    const accounts = new AccountService({ db: database.db, logger: createLogger('silent'), passwordCost: 12 });
    await accounts.createUser({ login: TECH_LOGIN, password: TECH_PASSWORD, role: 'technician', displayName: 'Max', company: '' });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    // what the version before this one stored: the base32 secret itself
    await database.db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: Date.now() }).where('login', '=', TECH_LOGIN).execute();
    await database.close();

    const srv = await start(dir);
    expect(srv.logText()).toContain('two-factor secrets stored in clear were encrypted');
    expect((await login(srv)).status).toBe(401);
    expect((await login(srv, codeFor(secret))).status).toBe(200);
    await stop(srv);
    expect(await storedSecret(dir, TECH_LOGIN)).toMatch(/^enc1:/);
    // and the clear text is not left behind in the file's free space or its write-ahead log
    expect(databaseBytes(dir).includes(Buffer.from(secret))).toBe(false);
  });
});
