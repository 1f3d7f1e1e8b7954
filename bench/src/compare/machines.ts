import { programPath } from '@fernhilfe/programs';
import type { Wrap } from '@fernhilfe/testkit';
import { BenchError } from '../errors.js';
import { LINK_PROFILES, canMakeBenchNet, startBenchNet, type BenchNet, type LinkCounters, type LinkProfile } from './net/index.js';

/**
 * Where the bench's pieces run. Two machines on one (default): the customer's side (Xvfb, its X
 * clients, the bench customer with its encoder, x11vnc) in the customer's network namespace pinned to
 * its core; Chromium in the technician's namespace pinned to the other; the server and noVNC's
 * WebSocket proxy in the root namespace ("the internet"), pinned with the technician, so the
 * customer's core is the customer's alone. Only the customer's link is emulated (BenchNet.setProfile).
 * Colocated: everything in the root namespace on 127.0.0.1, unpinned, no link emulation (lan only).
 */
export interface Machines {
  mode: 'two-machines' | 'colocated';
  /** the customer's side: Xvfb, X clients, bench customer, x11vnc */
  customer: Wrap;
  /** the technician's side: Chromium */
  technician: Wrap;
  /** the middle (root namespace): server, WebSocket proxy */
  middle: Wrap;
  /** where the server, the proxy, the stage collector listen (both sides reach it) */
  serverHost: string;
  /** where x11vnc and the ping echo listen on the customer's side */
  customerHost: string;
  /** true when setProfile really shapes the customer's link */
  emulated: boolean;
  setProfile(p: LinkProfile): Promise<void>;
  /** the link emulator's counters so far (undefined without one) */
  linkCounters(): Promise<LinkCounters | undefined>;
  /** one line for the report: what runs where */
  describe(): string;
  close(): Promise<void>;
}

const same: Wrap = (file, args) => [file, args];

export function colocated(why?: string): Machines {
  return {
    mode: 'colocated',
    customer: same,
    technician: same,
    middle: same,
    serverHost: '127.0.0.1',
    customerHost: '127.0.0.1',
    emulated: false,
    setProfile: async (p) => {
      if (p.name !== 'lan') throw new BenchError('setup', `profile ${p.name} needs the two-machine mode (colocated runs lan only)`);
    },
    linkCounters: async () => undefined,
    describe: () => `colocated: everything in the root namespace on 127.0.0.1, unpinned, no link emulation${why ? ` (two machines not possible: ${why})` : ''}`,
    close: async () => undefined,
  };
}

export async function twoMachines(): Promise<Machines> {
  const net: BenchNet = await startBenchNet({ profile: LINK_PROFILES.lan });
  const pinned = net.technician.cpus;
  return {
    mode: 'two-machines',
    customer: (file, args) => net.wrap('customer', file, args),
    technician: (file, args) => net.wrap('technician', file, args),
    middle: (file, args) => [programPath('taskset'), ['-c', pinned, file, ...args]],
    serverHost: net.serverAddr,
    customerHost: net.customer.addr,
    emulated: true,
    setProfile: (p) => net.setProfile(p),
    linkCounters: () => net.counters(),
    describe: () =>
      `two machines on one: customer (Xvfb, X clients, bench customer + fernhilfe-encoder, x11vnc) in namespace ${net.customer.ns} ${net.customer.addr} on core ${net.customer.cpus}; ` +
      `technician (Chromium) in ${net.technician.ns} ${net.technician.addr} on core ${net.technician.cpus}; server and noVNC's WebSocket proxy in the root namespace at ${net.serverAddr}, pinned to core ${pinned} with the technician, so core ${net.customer.cpus} is the customer's alone; ` +
      `the customer's link emulated by fernhilfe-netlab (root namespace, unpinned, pid ${net.emulatorPid})`,
    close: () => net.close(),
  };
}

/** The two-machine mode when namespaces can be made, else colocated with the reason. */
export async function openMachines(wantColocated: boolean): Promise<Machines> {
  if (wantColocated) return colocated();
  const can = canMakeBenchNet();
  if (!can.ok) return colocated(can.why ?? 'unknown');
  return twoMachines();
}
