/**
 * Path numbers for SYNC when the stream can move between the relay and a direct channel
 * (docs/p2p.md). Both endpoints must compute the same number for the same route without asking
 * the server, so it is made of things both know:
 *
 *   generation 0        the relay as the session started: the server's path number, unchanged (§8)
 *   generation 2k - 1   the direct channel of attempt k
 *   generation 2k       the relay again after attempt k (fallback), with the server's path number
 *
 * Generations only grow, so a SYNC from an older route is stale and ignored. Server paths use the
 * low 31 bits; the top bit marks a generation > 0 (bits 20-30 hold it, bits 0-19 the server path).
 */
const ROUTED = 0x80000000;
const GEN_SHIFT = 20;
const SERVER_MASK = 0xfffff;

export const directGeneration = (attempt: number): number => 2 * attempt - 1;
export const fallbackGeneration = (attempt: number): number => 2 * attempt;
export const isDirectGeneration = (gen: number): boolean => gen % 2 === 1;

export function routePath(gen: number, serverPath: number): number {
  if (gen === 0) return serverPath;
  const base = (ROUTED | (gen << GEN_SHIFT)) >>> 0;
  return isDirectGeneration(gen) ? base : (base | (serverPath & SERVER_MASK)) >>> 0;
}

export function generationOf(path: number): number {
  return (path & ROUTED) !== 0 ? (path >>> GEN_SHIFT) & 0x7ff : 0;
}
