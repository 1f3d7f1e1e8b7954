import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, type Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { SupportSessionRepo } from './support-sessions.js';

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('SupportSessionRepo on $name', (backend) => {
  let database: Database;
  let repo: SupportSessionRepo;
  let clock: number;

  beforeEach(async () => {
    database = await createDatabase(await backend.freshDatabase());
    await migrateToLatest(database.db);
    clock = 1_767_225_600_000;
    repo = new SupportSessionRepo({ db: database.db, now: () => clock });
    await database.db
      .insertInto('users')
      .values({ id: 'tech-1', login: 'tech', display_name: 'Tech', company: 'ACME', role: 'technician', password_hash: 'x', created_at: clock })
      .execute();
  });
  afterEach(async () => {
    await database.close();
  });

  const newSession = () =>
    repo.create({ customerId: '123456789', termsVersion: 'sha256:abc', capabilities: { screen: true, files: ['upload'] }, customerAddr: '203.0.113.7' });

  it('creates and reads back a session', async () => {
    const created = await newSession();
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repo.get(created.id)).toEqual({
      id: created.id,
      customerId: '123456789',
      termsVersion: 'sha256:abc',
      capabilities: { screen: true, files: ['upload'] },
      createdAt: clock,
      customerAddr: '203.0.113.7',
      technicianUserId: null,
      connectedAt: null,
      authenticatedAt: null,
      endedAt: null,
      endReason: null,
      failedAttempts: 0,
    });
    expect(await repo.get('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('records connect, authenticate, failures and end', async () => {
    const { id } = await newSession();
    clock += 1000;
    expect(await repo.markConnected(id, 'tech-1')).toBe(true);
    expect(await repo.incrementFailed(id)).toBe(1);
    expect(await repo.incrementFailed(id)).toBe(2);
    clock += 1000;
    expect(await repo.markAuthenticated(id)).toBe(true);
    clock += 1000;
    expect(await repo.markEnded(id, 'customer-ended')).toBe(true);
    expect(await repo.get(id)).toMatchObject({
      technicianUserId: 'tech-1',
      connectedAt: clock - 2000,
      authenticatedAt: clock - 1000,
      endedAt: clock,
      endReason: 'customer-ended',
      failedAttempts: 2,
    });
  });

  it('leaves an ended session alone', async () => {
    const { id } = await newSession();
    await repo.markEnded(id, 'technician-ended');
    expect(await repo.markEnded(id, 'customer-ended')).toBe(false);
    expect(await repo.markConnected(id, 'tech-1')).toBe(false);
    expect(await repo.markAuthenticated(id)).toBe(false);
    expect(await repo.incrementFailed(id)).toBeUndefined();
    expect(await repo.get(id)).toMatchObject({ endReason: 'technician-ended', failedAttempts: 0 });
  });

  it('rejects a customer ID that is not 9 digits and an unknown technician', async () => {
    await expect(repo.create({ customerId: '12345', termsVersion: 'v', capabilities: [], customerAddr: 'a' })).rejects.toThrow(/9 digits/);
    const { id } = await newSession();
    await expect(repo.markConnected(id, 'ghost')).rejects.toThrow(/foreign key/i);
  });
});
