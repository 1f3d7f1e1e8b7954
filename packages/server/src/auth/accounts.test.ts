import { randomBytes, scrypt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { AccountService, type NewUser } from './accounts.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './web-sessions.js';
import { WS_TICKET_TTL_MS } from './ws-tickets.js';

const PASSWORD = 'correct horse battery staple';

/** A PHC scrypt string as an older release stored it (r=8, p=1, the given cost), made with node:crypto. */
function scryptPhc(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return new Promise((resolve, reject) =>
    scrypt(password, salt, 32, { N: 2 ** logN, r: 8, p: 1, maxmem: 256 * 2 ** 20 }, (err, key) =>
      err ? reject(err) : resolve(`$scrypt$ln=${logN},r=8,p=1$${b64(salt)}$${b64(key)}`),
    ),
  );
}
const alice: NewUser = { login: 'Alice', password: PASSWORD, role: 'technician', displayName: 'Alice A.', company: 'ACME' };

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('AccountService on $name', (backend) => {
  let database: Database;
  let accounts: AccountService;
  let clock: number;

  beforeEach(async () => {
    const opts = await backend.freshDatabase();
    database = await createDatabase(opts);
    await migrateToLatest(database.db);
    clock = 1_767_225_600_000;
    // a cheap scrypt cost keeps these tests fast; the default cost (17) is tested in the rehash test
    accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), now: () => clock, passwordCost: 12 });
  });
  afterEach(async () => {
    await database.close();
  });

  describe('users', () => {
    it('creates a user with a lowercased login and counts it', async () => {
      const user = await accounts.createUser(alice);
      expect(user).toMatchObject({ login: 'alice', role: 'technician', displayName: 'Alice A.', company: 'ACME', createdAt: clock, disabledAt: null });
      expect(await accounts.countUsers()).toBe(1);
      expect(await accounts.getUser(user.id)).toEqual(user);
    });

    it('refuses a login that is taken, whatever its case', async () => {
      await accounts.createUser(alice);
      await expect(accounts.createUser({ ...alice, login: 'ALICE' })).rejects.toMatchObject({ reason: 'login_taken' });
      expect(await accounts.countUsers()).toBe(1);
    });

    it.each(['al', 'a'.repeat(65), 'alice smith', 'alice@example', 'älice'])('refuses the login %j', async (login) => {
      await expect(accounts.createUser({ ...alice, login })).rejects.toMatchObject({ reason: 'invalid_login_name' });
    });

    it('refuses a short password and an empty display name', async () => {
      await expect(accounts.createUser({ ...alice, password: 'short' })).rejects.toMatchObject({ reason: 'password_policy' });
      await expect(accounts.createUser({ ...alice, displayName: '  ' })).rejects.toMatchObject({ reason: 'invalid_profile' });
    });
  });

  describe('verifyLogin', () => {
    it('accepts the right password, in any login case', async () => {
      const user = await accounts.createUser(alice);
      expect(await accounts.verifyLogin('alice', PASSWORD)).toEqual(user);
      expect(await accounts.verifyLogin('ALICE', PASSWORD)).toEqual(user);
    });

    it('replaces a stored hash of the old cost (N=2^15) at the next right sign-in, and only then', async () => {
      accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), now: () => clock }); // the default cost
      const user = await accounts.createUser(alice);
      const oldHash = await scryptPhc(PASSWORD, 15);
      await database.db.updateTable('users').set({ password_hash: oldHash }).where('id', '=', user.id).execute();
      const stored = async () => (await database.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;

      expect(await accounts.verifyLogin('alice', `${PASSWORD}!`)).toBeUndefined();
      expect(await stored()).toBe(oldHash); // a wrong password changes nothing
      expect(await accounts.verifyLogin('alice', PASSWORD)).toEqual(user);
      const upgraded = await stored();
      expect(upgraded).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
      expect(upgraded).not.toContain(PASSWORD);
      expect(await accounts.verifyLogin('alice', PASSWORD)).toEqual(user);
      expect(await accounts.verifyLogin('alice', `${PASSWORD}!`)).toBeUndefined();
      expect(await stored()).toBe(upgraded); // rehashed once, not at every sign-in
    });

    it('refuses a wrong password, an unknown login and a disabled account', async () => {
      const user = await accounts.createUser(alice);
      expect(await accounts.verifyLogin('alice', `${PASSWORD}!`)).toBeUndefined();
      expect(await accounts.verifyLogin('bob', PASSWORD)).toBeUndefined();
      expect(await accounts.verifyLogin('not a login!', PASSWORD)).toBeUndefined();
      await database.db.updateTable('users').set({ disabled_at: clock }).where('id', '=', user.id).execute();
      expect(await accounts.verifyLogin('alice', PASSWORD)).toBeUndefined();
    });

    it('spends about as long on an unknown login as on a known one', async () => {
      await accounts.createUser(alice);
      await accounts.verifyLogin('bob', PASSWORD); // warm-up
      // The work done, not the wall clock: on a shared machine other processes stretch the wall time
      // of any one sign-in, but the CPU this process spends (scrypt runs in its thread pool, which
      // counts) is what an unknown login must not save. Interleaved, median of five each.
      const cpuMs = async (login: string) => {
        const start = process.cpuUsage();
        await accounts.verifyLogin(login, 'wrong password here');
        const used = process.cpuUsage(start);
        return (used.user + used.system) / 1000;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 5; i++) {
        known.push(await cpuMs('alice'));
        unknown.push(await cpuMs('bob'));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
      expect(median(known), 'a known login runs scrypt').toBeGreaterThan(1);
      expect(median(unknown), `CPU ms per sign-in, known ${known.join(', ')}; unknown ${unknown.join(', ')}`).toBeGreaterThan(median(known) * 0.5);
    });
  });

  describe('web sessions', () => {
    it('returns the session for its token until it is deleted', async () => {
      const user = await accounts.createUser(alice);
      const session = await accounts.createWebSession(user.id);
      expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.expiresAt).toBe(clock + SESSION_ABSOLUTE_MS);
      expect((await accounts.getWebSession(session.token))?.user).toEqual(user);
      expect(await accounts.getWebSession(`${session.token}x`)).toBeUndefined();
      await accounts.deleteWebSession(session.token);
      expect(await accounts.getWebSession(session.token)).toBeUndefined();
    });

    it('stores only hashes of the session and CSRF tokens', async () => {
      const user = await accounts.createUser(alice);
      const session = await accounts.createWebSession(user.id);
      const row = await database.db.selectFrom('web_sessions').selectAll().executeTakeFirstOrThrow();
      expect(row.id).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(session.token);
      expect(JSON.stringify(row)).not.toContain(session.csrfToken);
    });

    it('expires after 30 idle minutes, and use keeps it alive', async () => {
      const user = await accounts.createUser(alice);
      const { token } = await accounts.createWebSession(user.id);
      clock += SESSION_IDLE_MS - 1;
      expect(await accounts.getWebSession(token)).toBeDefined();
      clock += SESSION_IDLE_MS - 1;
      expect(await accounts.getWebSession(token)).toBeDefined();
      clock += SESSION_IDLE_MS;
      expect(await accounts.getWebSession(token)).toBeUndefined();
    });

    it('expires 12 hours after sign-in however busy', async () => {
      const user = await accounts.createUser(alice);
      const { token } = await accounts.createWebSession(user.id);
      for (let t = 0; t < SESSION_ABSOLUTE_MS - 10 * 60_000; t += 10 * 60_000) {
        clock += 10 * 60_000;
        expect(await accounts.getWebSession(token)).toBeDefined();
      }
      clock += 10 * 60_000;
      expect(await accounts.getWebSession(token)).toBeUndefined();
      expect(await database.db.selectFrom('web_sessions').selectAll().execute()).toEqual([]);
    });
  });

  describe('setup tokens', () => {
    it('can be used once', async () => {
      const token = await accounts.createSetupToken();
      expect(await accounts.consumeSetupToken('not the token')).toBe(false);
      expect(await accounts.consumeSetupToken(token)).toBe(true);
      expect(await accounts.consumeSetupToken(token)).toBe(false);
    });

    it('expires after 24 hours', async () => {
      const token = await accounts.createSetupToken();
      clock += 24 * 60 * 60_000;
      expect(await accounts.consumeSetupToken(token)).toBe(false);
    });

    it('creates the first admin only, consuming the token', async () => {
      const token = await accounts.createSetupToken();
      const admin = await accounts.setupFirstAdmin({ ...alice, token });
      expect(admin.role).toBe('admin');
      const second = await accounts.createSetupToken();
      await expect(accounts.setupFirstAdmin({ ...alice, login: 'bob', token: second })).rejects.toMatchObject({ reason: 'already_set_up' });
      expect(await accounts.consumeSetupToken(token)).toBe(false);
    });

    it('keeps the token when the admin cannot be created', async () => {
      const token = await accounts.createSetupToken();
      await expect(accounts.setupFirstAdmin({ ...alice, password: 'short', token })).rejects.toMatchObject({ reason: 'password_policy' });
      await expect(accounts.setupFirstAdmin({ ...alice, token: 'wrong' })).rejects.toMatchObject({ reason: 'setup_token_invalid' });
      expect(await accounts.countUsers()).toBe(0);
      expect(await accounts.consumeSetupToken(token)).toBe(true);
    });
  });

  describe('WebSocket tickets', () => {
    it('are single use', async () => {
      const user = await accounts.createUser(alice);
      const ticket = accounts.issueWsTicket(user.id);
      expect(await accounts.consumeWsTicket(ticket)).toEqual(user);
      expect(await accounts.consumeWsTicket(ticket)).toBeUndefined();
      expect(await accounts.consumeWsTicket('made-up')).toBeUndefined();
    });

    it('expire after 30 seconds', async () => {
      const user = await accounts.createUser(alice);
      const fresh = accounts.issueWsTicket(user.id);
      const stale = accounts.issueWsTicket(user.id);
      clock += WS_TICKET_TTL_MS - 1;
      expect(await accounts.consumeWsTicket(fresh)).toEqual(user);
      clock += 1;
      expect(await accounts.consumeWsTicket(stale)).toBeUndefined();
    });
  });
});

describe('the SQLite files', () => {
  it('keep no plaintext password or token', async () => {
    const opts = await backends[0]!.freshDatabase();
    const database = await createDatabase(opts);
    await migrateToLatest(database.db);
    const accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), passwordCost: 12 });
    const user = await accounts.createUser(alice);
    const session = await accounts.createWebSession(user.id);
    const setupToken = await accounts.createSetupToken();
    await accounts.verifyLogin('alice', PASSWORD);
    const row = await database.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$scrypt\$/);

    const secrets = [PASSWORD, session.token, session.csrfToken, setupToken];
    const assertNoSecretsOnDisk = () => {
      const files = readdirSync(opts.dataDir);
      expect(files).toContain('fernhilfe.sqlite');
      for (const file of files) {
        const bytes = readFileSync(path.join(opts.dataDir, file));
        for (const secret of secrets) {
          expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 4)}… in ${file}`).toBe(false);
        }
      }
    };
    assertNoSecretsOnDisk(); // main file, -wal and -shm while open
    await database.close();
    assertNoSecretsOnDisk(); // after the checkpoint on close
  });
});
