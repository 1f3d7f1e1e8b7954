import { execProgram, execProgramSync } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TestkitError } from '../errors.js';

/** Network namespace helpers shared by the bench network (netlab.ts) and the P2P tests' lab (tests/support/netns.ts). */

/** `ip …`, synchronously; its output as text. */
export const ipSync = (...args: string[]): string => execProgramSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** `ip …`; its output as text. */
export const ip = async (...args: string[]): Promise<string> => (await execProgram('ip', args)).stdout;

/** True when this process may make network namespaces (root with CAP_SYS_ADMIN and iproute2). */
export function canMakeNamespaces(): { ok: boolean; why?: string } {
  try {
    const probe = `fhprobe${randomBytes(3).toString('hex')}`;
    ipSync('netns', 'add', probe);
    ipSync('netns', 'del', probe);
    return { ok: true };
  } catch (err) {
    return { ok: false, why: err instanceof Error ? err.message : String(err) };
  }
}

/** The root namespace must not route between the namespaces, or "blocked" would not be blocked. */
export function rootForwards(): boolean {
  return readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '0';
}

/** N of a 10.N.0.0/16 that no address of this namespace uses yet (random, so parallel labs rarely pick the same). */
export function freeSubnet(): number {
  const used = ipSync('-4', '-o', 'addr');
  for (let tries = 0; tries < 50; tries++) {
    const n = 64 + Math.floor(Math.random() * 180);
    if (!used.includes(` 10.${n}.`)) return n;
  }
  throw new TestkitError('network', 'no free 10.N.0.0/16 for the test network');
}
