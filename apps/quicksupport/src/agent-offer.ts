import { ApiClient } from '@fernhilfe/protocol';

/**
 * The signed QuickSupport programs the operator offers, one per platform (GET /api/agent/info
 * through the one API client; the server side is packages/server/src/agent-download/). Anything
 * odd, or no such endpoint, means: no offer.
 */
export interface AgentOffer {
  platform: 'win-x64' | 'linux-x64';
  os: VisitorOs;
  fileName: string;
  size: number;
  /** SHA-256 of the program, hex */
  sha256: string;
  /** the operator's signing key, as `fernhilfe verify` names it */
  keyId: string;
  downloadUrl: string;
  signatureUrl: string;
}

export type VisitorOs = 'windows' | 'linux' | 'mac' | 'other';

export async function fetchAgentOffers(api = new ApiClient(location.origin)): Promise<AgentOffer[]> {
  return api.call('agentInfo').then(parseAgentOffers, () => []);
}

/** Only what is safe to show: downloads on offer, same-site links, plain file names; an odd entry is left out. */
export function parseAgentOffers(body: unknown): AgentOffer[] {
  if (typeof body !== 'object' || body === null) return [];
  const list = (body as Record<string, unknown>).downloads;
  if (!Array.isArray(list)) return [];
  return list.map(parseOne).filter((o): o is AgentOffer => o !== null);
}

function parseOne(entry: unknown): AgentOffer | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const b = entry as Record<string, unknown>;
  const str = (k: string, re: RegExp) => (typeof b[k] === 'string' && re.test(b[k]) ? b[k] : null);
  const platform = b.platform === 'win-x64' || b.platform === 'linux-x64' ? b.platform : null;
  const fileName = str('fileName', /^[A-Za-z0-9._-]{1,128}$/);
  const sha256 = str('sha256', /^[0-9a-f]{64}$/);
  const keyId = str('keyId', /^[0-9a-f]{16}$/);
  const downloadUrl = str('downloadUrl', /^\/download\/[a-z0-9.-]+$/);
  const signatureUrl = str('signatureUrl', /^\/download\/[a-z0-9.-]+$/);
  const size = typeof b.size === 'number' && Number.isSafeInteger(b.size) && b.size > 0 ? b.size : null;
  if (!platform || !fileName || !sha256 || !keyId || !downloadUrl || !signatureUrl || size === null) return null;
  return { platform, os: platform === 'win-x64' ? 'windows' : 'linux', fileName, size, sha256, keyId, downloadUrl, signatureUrl };
}

/** The visitor's operating system, from User-Agent Client Hints where the browser has them, else the User-Agent. */
export function visitorOs(nav: { userAgent: string; userAgentData?: { platform?: string } }): VisitorOs {
  const hint = nav.userAgentData?.platform ?? '';
  const ua = `${hint} ${nav.userAgent}`;
  if (/Windows|Win32|Win64/i.test(ua)) return 'windows';
  if (/macOS|Macintosh|Mac OS X|iPhone|iPad/i.test(ua)) return 'mac';
  if (/Android|CrOS/i.test(ua)) return 'other';
  if (/Linux|X11/i.test(ua)) return 'linux';
  return 'other';
}

/** The build for the visitor's OS first (if there is one), the others after it in the server's order. */
export function forVisitor(offers: AgentOffer[], os: VisitorOs): { mine: AgentOffer | undefined; others: AgentOffer[] } {
  const mine = offers.find((o) => o.os === os);
  return { mine, others: offers.filter((o) => o !== mine) };
}

/** "1a2b 3c4d …": easier to compare by eye or read out on the phone. */
export function groupHex(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}
