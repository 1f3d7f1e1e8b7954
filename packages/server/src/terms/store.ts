import type { Logger } from 'pino';
import type { AuditDb } from '../audit/schema.js';
import type { SettingsRepo } from '../storage/settings.js';
import { defaultTerms } from './default-terms.js';
import { makeTerms, type Terms } from './terms.js';

const CURRENT_KEY = 'terms.current';

export interface TermsVersionInfo {
  version: string;
  createdAt: number;
  createdBy: string | null;
  current: boolean;
}

/**
 * The terms customers accept. Every text ever made current is kept in `terms_versions` under its
 * SHA-256 (receipts and acceptance records name it); the settings key `terms.current` points to the
 * one in force. `current()` is synchronous for the broker: it reads a copy that `refresh()` renews
 * (the server calls it every few seconds, so nodes sharing a database agree soon after a change).
 */
export class TermsStore {
  readonly #db: AuditDb;
  readonly #settings: SettingsRepo;
  readonly #log: Logger;
  readonly #now: () => number;
  #current: Terms;

  private constructor(opts: { db: AuditDb; settings: SettingsRepo; logger: Logger; now?: () => number }, initial: Terms) {
    this.#db = opts.db;
    this.#settings = opts.settings;
    this.#log = opts.logger;
    this.#now = opts.now ?? Date.now;
    this.#current = initial;
  }

  /** Loads the current terms; a new database gets `seed` (default: the shipped texts) as its first version. */
  static async open(opts: { db: AuditDb; settings: SettingsRepo; logger: Logger; now?: () => number; seed?: Terms }): Promise<TermsStore> {
    const store = new TermsStore(opts, opts.seed ?? makeTerms(defaultTerms));
    if (!(await store.refresh())) await store.set({ de: store.#current.de, en: store.#current.en }, null);
    return store;
  }

  current(): Terms {
    return this.#current;
  }

  /** Re-reads the version in force; false when the database has none yet. */
  async refresh(): Promise<boolean> {
    const pointer = await this.#settings.get(CURRENT_KEY);
    const version = typeof pointer === 'object' && pointer !== null && 'version' in pointer ? String(pointer.version) : undefined;
    if (version === undefined) return false;
    if (version === this.#current.version && (await this.#exists(version))) return true;
    const terms = await this.get(version);
    if (!terms) {
      this.#log.error({ version }, 'the current terms version is missing from terms_versions; keeping the last known terms');
      return true;
    }
    this.#current = terms;
    return true;
  }

  /** Makes these texts the terms in force; returns them with their version (the same text gives the same version). */
  async set(texts: { de: string; en: string }, byUserId: string | null): Promise<{ terms: Terms; changed: boolean }> {
    const terms = makeTerms(texts);
    const changed = terms.version !== this.#current.version || !(await this.#exists(terms.version));
    await this.#db
      .insertInto('terms_versions')
      .values({ version: terms.version, de: terms.de, en: terms.en, created_at: this.#now(), created_by: byUserId })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute();
    await this.#settings.set(CURRENT_KEY, { version: terms.version });
    this.#current = terms;
    if (changed) this.#log.info({ version: terms.version, userId: byUserId }, 'terms changed');
    return { terms, changed };
  }

  async get(version: string): Promise<Terms | undefined> {
    const row = await this.#db.selectFrom('terms_versions').select(['version', 'de', 'en']).where('version', '=', version).executeTakeFirst();
    return row && { version: row.version, de: row.de, en: row.en };
  }

  /** Every version, newest first. */
  async list(): Promise<TermsVersionInfo[]> {
    const rows = await this.#db.selectFrom('terms_versions').select(['version', 'created_at', 'created_by']).orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: r.created_by, current: r.version === this.#current.version }));
  }

  async #exists(version: string): Promise<boolean> {
    return (await this.#db.selectFrom('terms_versions').select('version').where('version', '=', version).executeTakeFirst()) !== undefined;
  }
}
