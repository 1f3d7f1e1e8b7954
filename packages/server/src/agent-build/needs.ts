import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findProgram, PROGRAMS, type ProgramName } from '@fernhilfe/programs';
import type { AgentPlatform, ProgramFailure } from '@fernhilfe/protocol';
import { ROOT } from './sources.js';

/** What the encoder build (packages/agent/build/encoder.mjs) starts when its cache lacks the encoder. */
const ENCODER: Record<AgentPlatform, ProgramName[]> = {
  'linux-x64': ['apt-get', 'dpkg-source', 'bash', 'make', 'nasm', 'gcc'],
  'win-x64': ['apt-get', 'dpkg-source', 'bash', 'make', 'nasm', 'x86_64-w64-mingw32-gcc'],
};
/** What the program build itself starts: npm and tar fetch the pinned Node builds; Windows: Authenticode (and the server's own certificate). */
const BUILD: Record<AgentPlatform, ProgramName[]> = {
  'linux-x64': ['npm', 'tar'],
  'win-x64': ['npm', 'tar', 'osslsigncode', 'openssl'],
};

async function encoderCached(platform: AgentPlatform): Promise<boolean> {
  try {
    const encoder = (await import(pathToFileURL(path.join(ROOT, 'packages/agent/build/encoder.mjs')).href)) as { encoderCachePath(target: string): string };
    return existsSync(encoder.encoderCachePath(platform));
  } catch {
    return false;
  }
}

/**
 * Every program the build of `platform` would need and this machine lacks, at once, with the Debian
 * packages that bring them (instead of the build failing at the first one); undefined when none.
 */
export async function missingPrograms(platform: AgentPlatform, env: NodeJS.ProcessEnv = process.env): Promise<ProgramFailure | undefined> {
  const needed = [...BUILD[platform], ...((await encoderCached(platform)) ? [] : ENCODER[platform])];
  const missing = needed.filter((name) => !findProgram(name, { env }));
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map((name) => PROGRAMS[name].debian).filter((p): p is string => Boolean(p)))];
  return {
    code: 'missing-program',
    detail: `not installed: ${missing.join(', ')}. Install the Debian packages with \`sudo apt-get install ${packages.join(' ')}\`, then restart the server.`,
  };
}
