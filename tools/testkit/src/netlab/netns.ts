import { execProgram, execProgramSync } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/**
 * Whether the root namespace routes packets that come in on `dev` (default: the global switch). A lab
 * turns forwarding off on its own root-side devices (stopForwarding), so it does not depend on the
 * global switch, which other software on the machine (podman, a VPN) may turn on.
 */
export function rootForwards(dev?: string): boolean {
  const file = dev === undefined ? '/proc/sys/net/ipv4/ip_forward' : `/proc/sys/net/ipv4/conf/${dev}/forwarding`;
  return readFileSync(file, 'utf8').trim() !== '0';
}

/** IPv4 forwarding off on one root-namespace device: packets that come in on it are never routed on. */
export function stopForwarding(dev: string): void {
  writeFileSync(`/proc/sys/net/ipv4/conf/${dev}/forwarding`, '0');
}

/**
 * N of a 10.N.0.0/16 that no address of this namespace uses yet. Test files run side by side (and
 * other checkouts on the same machine too), so N is also reserved for two minutes by a file made
 * exclusively in RESERVED: two labs made at the same moment never pick the same N in the time
 * between this check and their `ip addr add`, after which the addresses themselves keep N taken.
 */
export function freeSubnet(): number {
  const used = ipSync('-4', '-o', 'addr');
  mkdirSync(RESERVED, { recursive: true });
  for (let tries = 0; tries < 50; tries++) {
    const n = 64 + Math.floor(Math.random() * 180);
    if (!used.includes(` 10.${n}.`) && reserve(n)) return n;
  }
  throw new TestkitError('network', 'no free 10.N.0.0/16 for the test network');
}

const RESERVED = path.join(tmpdir(), 'fernhilfe-subnets');
const RESERVATION_MS = 2 * 60_000;

/** true when this process now holds the reservation of N (a stale one is moved away first, atomically) */
function reserve(n: number): boolean {
  const file = path.join(RESERVED, String(n));
  try {
    if (Date.now() - statSync(file).mtimeMs < RESERVATION_MS) return false;
    renameSync(file, `${file}.stale-${process.pid}`);
    rmSync(`${file}.stale-${process.pid}`, { force: true });
  } catch {
    // no reservation yet, or another process moved the stale one first: the exclusive create decides
  }
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}
