import { ApiClient } from '@fernhilfe/protocol';

/**
 * The signed QuickSupport program the operator offers (GET /api/agent/info through the one API
 * client; the server side is packages/server/src/agent-download/). Anything odd, or no such
 * endpoint, means: no offer.
 */
export interface AgentOffer {
  fileName: string;
  size: number;
  /** SHA-256 of the program, hex */
  sha256: string;
  /** the operator's signing key, as `fernhilfe verify` names it */
  keyId: string;
  downloadUrl: string;
  signatureUrl: string;
}

export async function fetchAgentOffer(api = new ApiClient(location.origin)): Promise<AgentOffer | null> {
  return api.call('agentInfo').then(parseAgentOffer, () => null);
}

/** Only what is safe to show: a download that is on offer, same-site links, a plain file name. */
export function parseAgentOffer(body: unknown): AgentOffer | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const str = (k: string, re: RegExp) => (typeof b[k] === 'string' && re.test(b[k]) ? b[k] : null);
  const fileName = str('fileName', /^[A-Za-z0-9._-]{1,128}$/);
  const sha256 = str('sha256', /^[0-9a-f]{64}$/);
  const keyId = str('keyId', /^[0-9a-f]{16}$/);
  const downloadUrl = str('downloadUrl', /^\/download\/[a-z0-9.]+$/);
  const signatureUrl = str('signatureUrl', /^\/download\/[a-z0-9.]+$/);
  const size = typeof b.size === 'number' && Number.isSafeInteger(b.size) && b.size > 0 ? b.size : null;
  if (b.available !== true || !fileName || !sha256 || !keyId || !downloadUrl || !signatureUrl || size === null) return null;
  return { fileName, size, sha256, keyId, downloadUrl, signatureUrl };
}

/** "1a2b 3c4d …": easier to compare by eye or read out on the phone. */
export function groupHex(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}
