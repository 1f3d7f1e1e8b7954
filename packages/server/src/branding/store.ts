import type { Logger } from 'pino';
import type { SettingsRepo } from '../storage/settings.js';
import { DEFAULT_BRANDING, type Branding } from '@fernhilfe/protocol';
import { storedBrandingSchema } from './branding.js';

const KEY = 'branding';

/** The operator's branding, kept in the settings table; the defaults until an admin saves some. */
export class BrandingStore {
  readonly #settings: SettingsRepo;
  readonly #log: Logger;

  constructor(opts: { settings: SettingsRepo; logger: Logger }) {
    this.#settings = opts.settings;
    this.#log = opts.logger;
  }

  async get(): Promise<Branding> {
    const stored = await this.#settings.get(KEY);
    if (stored === undefined) return { ...DEFAULT_BRANDING };
    return storedBrandingSchema.parse(stored);
  }

  /** Saves a branding already checked with `brandingSchema`; returns what GET will now return. */
  async set(branding: Branding, byUserId: string): Promise<Branding> {
    await this.#settings.set(KEY, { ...branding });
    this.#log.info({ userId: byUserId }, 'branding updated');
    return this.get();
  }
}
