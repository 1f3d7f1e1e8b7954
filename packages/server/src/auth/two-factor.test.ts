import { Secret, TOTP } from 'otpauth';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { AccountService } from './accounts.js';
import type { User } from './user.js';

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('two-factor on $name', (backend) => {
  let database: Database;
  let accounts: AccountService;
  let clock: number;
  let alice: User;
  const code = (secret: string, offsetMs = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock + offsetMs });

  beforeEach(async () => {
    database = await createDatabase(await backend.freshDatabase());
    await migrateToLatest(database.db);
    clock = 1_767_225_600_000;
    accounts = new AccountService({ db: database.db, logger: pino({ level: 'silent' }), now: () => clock, passwordCost: 12 });
    alice = await accounts.createUser({ login: 'alice', password: 'correct horse battery', role: 'technician', displayName: 'Alice', company: '' });
  });
  afterEach(async () => {
    await database.close();
  });

  const enrol = async () => {
    const { secret } = await accounts.twoFactor.setup(alice, 'Fernhilfe');
    await accounts.twoFactor.enable(alice.id, code(secret));
    return secret;
  };

  it('keeps a set-up pending until a code enables it', async () => {
    const { secret, otpauthUri } = await accounts.twoFactor.setup(alice, 'ACME');
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect((await accounts.getUser(alice.id))?.totpEnabled).toBe(false);
    expect(await accounts.twoFactor.verify(alice.id, code(secret))).toBe(false); // pending is not enough to sign in
    await accounts.twoFactor.enable(alice.id, code(secret));
    expect((await accounts.getUser(alice.id))?.totpEnabled).toBe(true);
    expect((await accounts.verifyLogin('alice', 'correct horse battery'))?.totpEnabled).toBe(true);
  });

  it('replaces a pending secret when set up again, and refuses once enabled', async () => {
    const first = await accounts.twoFactor.setup(alice, 'ACME');
    const second = await accounts.twoFactor.setup(alice, 'ACME');
    expect(second.secret).not.toBe(first.secret);
    await expect(accounts.twoFactor.enable(alice.id, code(first.secret))).rejects.toMatchObject({ reason: 'totp-invalid' });
    await accounts.twoFactor.enable(alice.id, code(second.secret));
    await expect(accounts.twoFactor.setup(alice, 'ACME')).rejects.toMatchObject({ reason: 'totp-already-enabled' });
    await expect(accounts.twoFactor.enable(alice.id, code(second.secret, 30_000))).rejects.toMatchObject({ reason: 'totp-already-enabled' });
  });

  it('refuses to enable without a set-up, or to disable what is off', async () => {
    await expect(accounts.twoFactor.enable(alice.id, '123456')).rejects.toMatchObject({ reason: 'totp-not-set-up' });
    await expect(accounts.twoFactor.disable(alice.id, '123456')).rejects.toMatchObject({ reason: 'totp-not-enabled' });
  });

  it('accepts each time step once, and never an older one', async () => {
    const secret = await enrol();
    expect(await accounts.twoFactor.verify(alice.id, code(secret))).toBe(false); // the enabling code
    expect(await accounts.twoFactor.verify(alice.id, code(secret, 30_000))).toBe(true);
    expect(await accounts.twoFactor.verify(alice.id, code(secret, 30_000))).toBe(false);
    clock += 30_000;
    expect(await accounts.twoFactor.verify(alice.id, code(secret, -30_000))).toBe(false); // older, still in the window
    clock += 30_000;
    expect(await accounts.twoFactor.verify(alice.id, code(secret))).toBe(true);
  });

  it('refuses wrong and stale codes', async () => {
    const secret = await enrol();
    const inWindow = [-30_000, 0, 30_000].map((offset) => code(secret, offset));
    const wrong = ['000000', '000001', '000002', '000003'].find((c) => !inWindow.includes(c)) ?? '';
    expect(await accounts.twoFactor.verify(alice.id, wrong)).toBe(false);
    expect(await accounts.twoFactor.verify(alice.id, code(secret, 90_000))).toBe(false);
    expect(await accounts.twoFactor.verify(alice.id, 'nope')).toBe(false);
  });

  it('disables with a right, unused code and forgets the secret', async () => {
    const secret = await enrol();
    await expect(accounts.twoFactor.disable(alice.id, code(secret))).rejects.toMatchObject({ reason: 'totp-invalid' });
    await accounts.twoFactor.disable(alice.id, code(secret, 30_000));
    expect((await accounts.getUser(alice.id))?.totpEnabled).toBe(false);
    const row = await database.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'totp_last_step']).executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret: null, totp_enabled_at: null, totp_last_step: null });
  });
});
