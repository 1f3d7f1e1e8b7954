import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { createDatabase, type Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { SettingsRepo } from './settings.js';

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('SettingsRepo on $name', (backend) => {
  let database: Database;
  let clock: number;
  let settings: SettingsRepo;

  beforeEach(async () => {
    database = await createDatabase(await backend.freshDatabase());
    await migrateToLatest(database.db);
    clock = 1_767_225_600_000;
    settings = new SettingsRepo({ db: database.db, now: () => clock });
  });
  afterEach(async () => {
    await database.close();
  });

  it('returns undefined for a key never set', async () => {
    expect(await settings.get('branding')).toBeUndefined();
  });

  it('stores JSON values and replaces them', async () => {
    await settings.set('branding', { companyName: '<b>ACME</b>', nested: [1, 'zwei', null] });
    expect(await settings.get('branding')).toEqual({ companyName: '<b>ACME</b>', nested: [1, 'zwei', null] });
    clock += 1000;
    await settings.set('branding', { companyName: 'Other' });
    expect(await settings.get('branding')).toEqual({ companyName: 'Other' });
    const rows = await database.db.selectFrom('settings').selectAll().execute();
    expect(rows).toEqual([{ key: 'branding', value: '{"companyName":"Other"}', updated_at: clock }]);
  });
});
