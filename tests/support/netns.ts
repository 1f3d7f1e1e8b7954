import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { freeSubnet, ipSync as ip, rootForwards, stopForwarding } from '@fernhilfe/testkit';
import { randomBytes } from 'node:crypto';

export { canMakeNamespaces } from '@fernhilfe/testkit';

/**
 * A small network made by the test (Chromium gathers no ICE candidates on loopback alone,
 * FINDINGS.md): two network namespaces, the customer's and the technician's, each joined to this
 * (the root) namespace by a veth pair with private addresses and a default route into it, so both
 * reach the server and coturn on the root side. The root namespace does not forward what comes in on
 * the lab's devices (their own forwarding switch is off, whatever the global ip_forward says: podman
 * turns that on), so the two namespaces reach each other only over the optional direct link, a third veth pair
 * between them:
 *
 *   customer ns  10.N.1.2 ──veth── 10.N.1.1  root ns (server, coturn)  10.N.2.1 ──veth── 10.N.2.2  technician ns
 *        10.N.3.1 ─────────────────────── direct link (optional) ─────────────────────── 10.N.3.2
 *
 * Names carry a random suffix, so runs never collide; close() removes everything (and is safe to call
 * after a half-made setup).
 */
export interface Lab {
  id: string;
  customer: { ns: string; addr: string };
  technician: { ns: string; addr: string };
  /** the root-side address of the customer's link: the server and coturn listen here; both namespaces reach it */
  serverAddr: string;
  /** direct link addresses (customer side, technician side), when made */
  direct: { customer: string; technician: string } | undefined;
  /** takes the direct link down or up (both ends) */
  setDirect(up: boolean): void;
  /** spawns `command` inside a namespace */
  spawnIn(ns: string, command: string, args: string[], opts?: SpawnOptions): ChildProcess;
  close(): void;
}

export function makeLab(opts: { direct: boolean }): Lab {
  const id = randomBytes(3).toString('hex');
  const n = freeSubnet();
  const cns = `fhc${id}`;
  const tns = `fht${id}`;
  const made = { ns: [] as string[], links: [] as string[] };
  const lab: Lab = {
    id,
    customer: { ns: cns, addr: `10.${n}.1.2` },
    technician: { ns: tns, addr: `10.${n}.2.2` },
    serverAddr: `10.${n}.1.1`,
    direct: opts.direct ? { customer: `10.${n}.3.1`, technician: `10.${n}.3.2` } : undefined,
    setDirect(up) {
      if (!lab.direct) throw new Error('this lab has no direct link');
      ip('-n', cns, 'link', 'set', `fhd${id}c`, up ? 'up' : 'down');
      ip('-n', tns, 'link', 'set', `fhd${id}t`, up ? 'up' : 'down');
    },
    spawnIn(ns, command, args, spawnOpts = {}) {
      return spawnProgram('ip', ['netns', 'exec', ns, command, ...args], spawnOpts);
    },
    close() {
      for (const link of made.links) {
        try {
          ip('link', 'del', link);
        } catch {
          /* already gone with its namespace */
        }
      }
      for (const ns of made.ns) {
        try {
          ip('netns', 'del', ns);
        } catch {
          /* already gone */
        }
      }
    },
  };
  try {
    for (const [ns, side, octet] of [[cns, 'c', 1], [tns, 't', 2]] as const) {
      ip('netns', 'add', ns);
      made.ns.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      const root = `fh${id}${side}0`;
      const inner = `fh${id}${side}1`;
      ip('link', 'add', root, 'type', 'veth', 'peer', 'name', inner);
      made.links.push(root);
      ip('link', 'set', inner, 'netns', ns);
      ip('addr', 'add', `10.${n}.${octet}.1/24`, 'dev', root);
      ip('link', 'set', root, 'up');
      stopForwarding(root);
      if (rootForwards(root)) throw new Error(`forwarding stayed on for ${root}: the lab would route between the namespaces`);
      ip('-n', ns, 'addr', 'add', `10.${n}.${octet}.2/24`, 'dev', inner);
      ip('-n', ns, 'link', 'set', inner, 'up');
      ip('-n', ns, 'route', 'add', 'default', 'via', `10.${n}.${octet}.1`);
    }
    if (opts.direct) {
      ip('link', 'add', `fhd${id}c`, 'netns', cns, 'type', 'veth', 'peer', 'name', `fhd${id}t`, 'netns', tns);
      ip('-n', cns, 'addr', 'add', `10.${n}.3.1/24`, 'dev', `fhd${id}c`);
      ip('-n', tns, 'addr', 'add', `10.${n}.3.2/24`, 'dev', `fhd${id}t`);
      lab.setDirect(true);
    }
  } catch (err) {
    lab.close();
    throw err;
  }
  return lab;
}
