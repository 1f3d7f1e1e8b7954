import { createHash } from 'node:crypto';
import type { StreamingHash } from '@fernhilfe/protocol';

/** SHA-256 from node:crypto (OpenSSL): about 10x the speed of the pure-JS one for large files. */
export function nodeSha256(): StreamingHash {
  const h = createHash('sha256');
  return { update: (b) => void h.update(b), hex: () => h.digest('hex') };
}
