/**
 * The signed QuickSupport program the operator offers (GET /api/agent/info; the server side is
 * packages/server/src/agent-download/). Anything odd, or no such endpoint, means: no offer.
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

export async function fetchAgentOffer(): Promise<AgentOffer | null> {
  try {
    const res = await fetch('/api/agent/info', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    return res.ok ? parseAgentOffer(await res.json()) : null;
  } catch {
    return null;
  }
}

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
