import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
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
    detail: `not installed: ${missing.join(', ')}. Install the Debian packages with \`sudo apt-get install ${packages.join(' ')}\`, the build starts by itself once they are there (no restart needed).`,
  };
}

/**
 * Asks `check` again every `everyMs` until nothing is missing (true) or `signal` aborts (false, at
 * shutdown). `changed` hears the first answer and each different one after it (a package installed,
 * another still missing), so the operator's `apt-get install` starts the build without a restart.
 */
export async function waitForPrograms(
  check: () => Promise<ProgramFailure | undefined>,
  o: { everyMs: number; signal: AbortSignal; changed(missing: ProgramFailure): void },
): Promise<boolean> {
  let last: string | undefined;
  while (!o.signal.aborted) {
    const missing = await check();
    if (!missing) return true;
    if (missing.detail !== last) o.changed(missing);
    last = missing.detail;
    try {
      await delay(o.everyMs, undefined, { signal: o.signal, ref: false });
    } catch {
      return false;
    }
  }
  return false;
}
