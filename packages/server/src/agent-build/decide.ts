import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { AGENT_PLATFORMS } from '../agent-download/index.js';

/**
 * Who provides the QuickSupport programs (docs/agent-build.md, "First start"):
 * - `operator`: the operator configured their own key or build (AGENT_PUBLIC_KEY, AGENT_DIR,
 *   FERNHILFE_SIGNING_KEY, or a program already in the default AGENT_DIR), or runs several nodes
 *   (REDIS_URL), which need one key: nothing is built here;
 * - `off`: AGENT_AUTOBUILD=off;
 * - `auto`: none of that: the server builds and signs one program per platform itself.
 */
export type BuildMode = { kind: 'auto' } | { kind: 'operator'; why: string } | { kind: 'off' };

export function decideBuildMode(config: Pick<Config, 'agentAutobuild' | 'agentPublicKey' | 'agentDir' | 'cluster'>): BuildMode {
  const a = config.agentAutobuild;
  if (config.agentPublicKey) return { kind: 'operator', why: 'AGENT_PUBLIC_KEY is set' };
  if (a.agentDirSet) return { kind: 'operator', why: 'AGENT_DIR is set' };
  if (a.signingKeySet) return { kind: 'operator', why: 'FERNHILFE_SIGNING_KEY is set' };
  // each node would sign with a key of its own, and the nodes share what they offered (no rollback)
  if (config.cluster) return { kind: 'operator', why: 'REDIS_URL is set: several nodes need one signing key of yours (AGENT_PUBLIC_KEY)' };
  const dir = config.agentDir;
  const built = dir ? AGENT_PLATFORMS.find((p) => existsSync(path.join(dir, p.file))) : undefined;
  if (built && dir) return { kind: 'operator', why: `${path.join(dir, built.file)} exists (a build of your own: set AGENT_PUBLIC_KEY to offer it)` };
  if (!a.enabled) return { kind: 'off' };
  return { kind: 'auto' };
}
