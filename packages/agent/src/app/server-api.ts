import type { Branding } from '@fernhilfe/client';
import { termsVersionSchema } from '@fernhilfe/protocol';
import { z } from 'zod';
import { AgentError } from './errors.js';

/**
 * The two public, read-only things the agent asks its server for before anything is registered:
 * the operator's branding and the current terms (GET /api/branding, GET /api/terms). Both answers
 * are parsed here, at the boundary.
 */
export interface Terms {
  version: string;
  text: { de: string; en: string };
}

const termsSchema = z.object({ version: termsVersionSchema, text: z.object({ de: z.string().max(200_000), en: z.string().max(200_000) }) });

export const defaultBranding: Branding = { companyName: 'Fernhilfe', supportPhone: '', primaryColor: '#0b5cad', accentColor: '#f0a500', website: '' };

const text = (max: number) => z.string().trim().min(1).max(max);
const brandingSchema = z.object({
  companyName: text(120).optional().catch(undefined),
  supportPhone: text(40).optional().catch(undefined),
  primaryColor: text(64).optional().catch(undefined),
  accentColor: text(64).optional().catch(undefined),
  website: text(200).optional().catch(undefined),
});

const TIMEOUT_MS = 15_000;

export class ServerApi {
  /** `base`: the server's origin, e.g. https://support.example.com */
  constructor(private readonly base: URL) {}

  /** ws(s)://host/ws/customer */
  get customerUrl(): string {
    const u = new URL('/ws/customer', this.base);
    u.protocol = this.base.protocol === 'https:' ? 'wss:' : 'ws:';
    return u.toString();
  }

  async terms(): Promise<Terms> {
    const r = termsSchema.safeParse(await this.getJson('/api/terms'));
    if (!r.success) throw AgentError.server('unexpected terms response');
    return { version: r.data.version, text: { de: r.data.text.de, en: r.data.text.en } };
  }

  /** The operator's branding; a missing endpoint or an odd field falls back to the default. */
  async branding(): Promise<Branding> {
    let body: unknown;
    try {
      body = await this.getJson('/api/branding');
    } catch {
      return defaultBranding;
    }
    const r = brandingSchema.safeParse(body);
    const b = r.success ? r.data : {};
    return {
      companyName: b.companyName ?? defaultBranding.companyName,
      supportPhone: b.supportPhone ?? defaultBranding.supportPhone,
      primaryColor: b.primaryColor ?? defaultBranding.primaryColor,
      accentColor: b.accentColor ?? defaultBranding.accentColor,
      website: b.website ?? defaultBranding.website,
    };
  }

  private async getJson(path: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.base), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    } catch (err) {
      throw AgentError.unreachable(this.base.origin, err);
    }
    if (!res.ok) throw AgentError.server(`${path}: HTTP ${res.status}`);
    try {
      return await res.json();
    } catch {
      throw AgentError.server(`${path}: not JSON`);
    }
  }
}
