/** The two public, read-only things the page asks the server for before anything is registered. */

export interface Terms {
  /** SHA-256 (hex) of both texts; sent back on registration as proof of which terms were accepted */
  version: string;
  text: { de: string; en: string };
}

export type { Branding } from '@fernhilfe/client';
import type { Branding } from '@fernhilfe/client';
import { FernhilfeError } from '@fernhilfe/protocol';

/** The server answered with an HTTP error, or with something that is not what the page asked for. */
export class ServerApiError extends FernhilfeError<'http' | 'unexpected-reply'> {
  override readonly name = 'ServerApiError';
}

export const defaultBranding: Branding = {
  companyName: 'Fernhilfe',
  supportPhone: '',
  primaryColor: '#0b5cad',
  accentColor: '#f0a500',
  website: '',
};

export async function fetchTerms(): Promise<Terms> {
  const body = await getJson('/api/terms');
  if (!isRecord(body) || typeof body.version !== 'string' || !/^[0-9a-f]{64}$/.test(body.version) || !isRecord(body.text)) {
    throw new ServerApiError('unexpected-reply', 'unexpected terms response');
  }
  const { de, en } = body.text;
  if (typeof de !== 'string' || typeof en !== 'string') throw new ServerApiError('unexpected-reply', 'unexpected terms response');
  return { version: body.version, text: { de, en } };
}

/** The operator's branding; any missing or odd field (or no endpoint at all) falls back to the default. */
export async function fetchBranding(): Promise<Branding> {
  let body: unknown;
  try {
    body = await getJson('/api/branding');
  } catch {
    return defaultBranding;
  }
  const b = isRecord(body) ? body : {};
  const text = (key: keyof Branding, max: number) => {
    const v = b[key];
    return typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : defaultBranding[key];
  };
  return {
    companyName: text('companyName', 120),
    supportPhone: text('supportPhone', 40),
    primaryColor: text('primaryColor', 64),
    accentColor: text('accentColor', 64),
    website: text('website', 200),
  };
}

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw new ServerApiError('http', `${path}: HTTP ${res.status}`);
  return res.json();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
