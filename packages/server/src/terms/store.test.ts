import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tests/support/postgres.js';
import { auditDb } from '../audit/schema.js';
import { createLogger } from '../logger.js';
import { createDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { SettingsRepo } from '../storage/settings.js';
import { defaultTerms } from './default-terms.js';
import { TermsStore } from './store.js';
import { termsVersion } from './terms.js';

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('TermsStore on $name', (backend) => {
  let database: Database;
  const open = () => TermsStore.open({ db: auditDb(database.db), settings: new SettingsRepo({ db: database.db }), logger: createLogger('silent') });
  beforeEach(async () => {
    database = await createDatabase(await backend.freshDatabase());
    await migrateToLatest(database.db);
  });
  afterEach(() => database.close());

  it('seeds the shipped terms once, and a change is a new version seen by another node', async () => {
    const a = await open();
    expect(a.current().version).toBe(termsVersion(defaultTerms));
    const b = await open();
    const { terms, changed } = await a.set({ de: 'Neu', en: 'New' }, null);
    expect(changed).toBe(true);
    expect(terms.version).toBe(termsVersion({ de: 'Neu', en: 'New' }));
    expect(b.current().version).toBe(termsVersion(defaultTerms)); // until it refreshes
    await b.refresh();
    expect(b.current()).toEqual(terms);
    expect((await b.list()).map((v) => v.current)).toEqual([true, false]);
    // back to the old text: the old version is current again, nothing is duplicated
    await a.set(defaultTerms, null);
    expect((await a.list()).length).toBe(2);
    expect(a.current().version).toBe(termsVersion(defaultTerms));
    expect(await a.get(terms.version)).toEqual(terms);
  });

  it('ships default terms in German and English that say what matters', () => {
    for (const text of [defaultTerms.de, defaultTerms.en]) {
      expect(text.length).toBeGreaterThan(500);
    }
    expect(defaultTerms.de).toMatch(/genau eine Sitzung/);
    expect(defaultTerms.de).toMatch(/jederzeit/);
    expect(defaultTerms.de).toMatch(/protokollieren/);
    expect(defaultTerms.de).toMatch(/Aufbewahrungsfrist/);
    expect(defaultTerms.en).toMatch(/exactly one session/);
    expect(defaultTerms.en).toMatch(/at any time/);
    expect(defaultTerms.en).toMatch(/We record/);
    expect(defaultTerms.en).toMatch(/retention period/);
  });
});
