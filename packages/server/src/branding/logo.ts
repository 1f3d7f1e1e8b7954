import { createHash } from 'node:crypto';
import { FernhilfeError } from '@fernhilfe/protocol';
import { z } from 'zod';
import type { SettingsRepo } from '../storage/settings.js';

export const LOGO_TYPES = ['image/png', 'image/svg+xml'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const MAX_LOGO_BYTES = 256 * 1024;

export interface Logo {
  type: LogoType;
  bytes: Buffer;
  /** SHA-256 hex of the bytes served (after sanitising) */
  sha256: string;
}

/** Why an uploaded logo is refused; the message says it in words for the administrator. */
export type LogoFailure = 'empty' | 'too-large' | 'not-png' | 'not-svg';

export class LogoError extends FernhilfeError<LogoFailure> {
  override readonly name = 'LogoError';
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const KEY = 'branding.logo';
const storedSchema = z.object({ type: z.enum(LOGO_TYPES), data: z.string() });

/**
 * Makes an uploaded logo safe to serve: a PNG must start with the PNG signature; an SVG goes through
 * DOMPurify (in jsdom, loaded on first use) with its SVG profile and without scripts, event
 * handlers, foreignObject, links or external references. The server serves the result with a fixed
 * Content-Type and a CSP that forbids every script (see logo-routes.ts); the apps show it only as <img>.
 */
export async function sanitiseLogo(type: LogoType, bytes: Buffer): Promise<Buffer> {
  if (bytes.length === 0) throw new LogoError('empty', 'the logo file is empty');
  if (bytes.length > MAX_LOGO_BYTES) throw new LogoError('too-large', `the logo may be at most ${MAX_LOGO_BYTES / 1024} KiB`);
  if (type === 'image/png') {
    if (!bytes.subarray(0, 8).equals(PNG_MAGIC)) throw new LogoError('not-png', 'this file is not a PNG image');
    return bytes;
  }
  return Buffer.from(await sanitiseSvg(bytes.toString('utf8')), 'utf8');
}

type Purifier = { sanitize(source: string, config: Record<string, unknown>): string };
let purifier: Promise<Purifier> | undefined;

async function loadPurifier(): Promise<Purifier> {
  const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')]);
  const { window } = new JSDOM('');
  return createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]) as unknown as Purifier;
}

export async function sanitiseSvg(source: string): Promise<string> {
  purifier ??= loadPurifier();
  const clean = (await purifier).sanitize(source, {
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS: ['script', 'foreignObject', 'a', 'use', 'image', 'iframe', 'animate', 'set', 'animateMotion', 'animateTransform'],
    FORBID_ATTR: ['href', 'xlink:href', 'src', 'action', 'formaction'],
    ALLOW_DATA_ATTR: false,
  });
  const trimmed = clean.trim();
  if (!/^<svg[\s>]/i.test(trimmed)) throw new LogoError('not-svg', 'this file is not an SVG image (nothing usable was left after removing unsafe parts)');
  return trimmed;
}

/** The logo in the settings table (base64), served from GET /branding/logo. */
export class LogoStore {
  constructor(private readonly settings: SettingsRepo) {}

  async get(): Promise<Logo | undefined> {
    const parsed = storedSchema.safeParse(await this.settings.get(KEY));
    if (!parsed.success) return undefined;
    const bytes = Buffer.from(parsed.data.data, 'base64');
    return { type: parsed.data.type, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  /** Sanitises and stores; throws LogoError with a plain reason. */
  async set(type: LogoType, bytes: Buffer): Promise<Logo> {
    const clean = await sanitiseLogo(type, bytes);
    await this.settings.set(KEY, { type, data: clean.toString('base64') });
    return { type, bytes: clean, sha256: createHash('sha256').update(clean).digest('hex') };
  }

  async remove(): Promise<void> {
    await this.settings.set(KEY, null);
  }
}
