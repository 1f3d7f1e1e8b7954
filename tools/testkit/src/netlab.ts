import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import os from 'node:os';
import { programPath } from '@fernhilfe/programs';
import { describeError } from '@fernhilfe/protocol';
import { TestkitError } from './errors.js';
import { netlabBinary } from './netlab/build.js';
import { startLinkEmulator, type LinkCounters, type LinkEmulator } from './netlab/emulator.js';
import { canMakeNamespaces, freeSubnet, ip, stopForwarding } from './netlab/netns.js';

export type { DirectionCounters, LinkCounters } from './netlab/emulator.js';

/**
 * The bench network: two machines on one (issue 17). The customer's machine and the technician's are
 * network namespaces pinned to their own cores; "the internet" is the root namespace, where the
 * server listens. The customer's link to it runs through our link emulator (fernhilfe-netlab over two
 * TUN devices: this kernel has no sch_netem, docs/link-emulator.md), the technician's is a plain veth
 * (an office LAN). The root namespace does not forward between them (forwarding is off on our devices).
 *
 *   customer ns 10.N.1.2 ─TUN─ fernhilfe-netlab ─TUN─ 10.N.1.1  root ns (server)  10.N.2.1 ─veth─ 10.N.2.2 technician ns
 */
export type LinkProfileName = 'lan' | 'dsl' | 'lte' | 'bad';

/** One emulated link; delay, jitter and loss apply per direction, one way. Rates in kbit/s, undefined: no limit. */
export interface LinkProfile {
  name: LinkProfileName;
  upKbit: number | undefined;
  downKbit: number | undefined;
  delayMs: number;
  jitterMs: number;
  lossPct: number;
}

export const LINK_PROFILES: Record<LinkProfileName, LinkProfile> = {
  lan: { name: 'lan', upKbit: undefined, downKbit: undefined, delayMs: 0, jitterMs: 0, lossPct: 0 },
  dsl: { name: 'dsl', upKbit: 10_000, downKbit: 50_000, delayMs: 25, jitterMs: 0, lossPct: 0.1 },
  lte: { name: 'lte', upKbit: 5_000, downKbit: 20_000, delayMs: 40, jitterMs: 10, lossPct: 1 },
  bad: { name: 'bad', upKbit: 2_000, downKbit: 8_000, delayMs: 80, jitterMs: 0, lossPct: 3 },
};

/** The drop-tail queue in front of the rate limit, in time at the link rate (like `tbf latency 200ms`). */
export const DEFAULT_QUEUE_MS = 200;

export interface BenchNet {
  /** the customer's machine: X server, agent, encoder, x11vnc; core 0 */
  customer: { ns: string; addr: string; cpus: string };
  /** the technician's machine: Chromium; core 1 */
  technician: { ns: string; addr: string; cpus: string };
  /** "the internet": root namespace address both reach; the server / noVNC's proxy listen here */
  serverAddr: string;
  /** the profile in force */
  readonly profile: LinkProfile;
  /** the emulated link between the customer's namespace and the root namespace, changeable while traffic flows */
  setProfile(p: LinkProfile): Promise<void>;
  /** the emulator's counters per direction (packets, bytes, drops by loss, drops by queue), for the bench's report */
  counters(): Promise<LinkCounters>;
  /**
   * [file, args] that run `file args` inside ns, pinned to cpus (ip netns exec … taskset -c …); `ip` and
   * taskset exec the program, so the spawned child's pid is the program's own and kill() reaches it
   */
  wrap(side: 'customer' | 'technician', file: string, args: string[]): ['ip', string[]];
  /** the emulator's process id (it runs in the root namespace, unpinned) */
  readonly emulatorPid: number;
  /** removes the namespaces, links and the emulator; safe to call twice and after a half-made setup */
  close(): Promise<void>;
}

export interface BenchNetOptions {
  /** the customer's link at start (default lan) */
  profile?: LinkProfile;
  /** drop-tail queue of the rate limit in ms at the link rate (default 200) */
  queueMs?: number;
  /** seed of the emulator's loss and jitter (default 1): the same seed and traffic give the same drops */
  seed?: number;
}

/** Whether startBenchNet can work here: root, iproute2, network namespaces, /dev/net/tun, taskset, and the emulator built (gcc, on first use). */
export function canMakeBenchNet(): { ok: boolean; why?: string } {
  const ns = canMakeNamespaces();
  if (!ns.ok) return ns;
  try {
    closeSync(openSync('/dev/net/tun', 'r+')); // opened read-write as the emulator does
  } catch (err) {
    return { ok: false, why: `/dev/net/tun: ${describeError(err)}` };
  }
  try {
    programPath('taskset');
    netlabBinary();
    return { ok: true };
  } catch (err) {
    return { ok: false, why: describeError(err) };
  }
}

/** Core of each side: customer on 0, technician on 1 (both on 0 with one core). */
function cores(): { customer: string; technician: string } {
  return os.cpus().length >= 2 ? { customer: '0', technician: '1' } : { customer: '0', technician: '0' };
}

export async function startBenchNet(opts: BenchNetOptions = {}): Promise<BenchNet> {
  const check = canMakeBenchNet();
  if (!check.ok) throw new TestkitError('network', `the bench network needs root, network namespaces and /dev/net/tun: ${check.why}`);
  const id = randomBytes(3).toString('hex');
  const n = freeSubnet();
  const cns = `fhbc${id}`;
  const tns = `fhbt${id}`;
  const dev = { inner: `fhb${id}c1`, outer: `fhb${id}c0`, vethRoot: `fhb${id}t0`, vethInner: `fhb${id}t1` };
  const queueMs = opts.queueMs ?? DEFAULT_QUEUE_MS;
  const cpus = cores();
  const made = { ns: [] as string[], veth: false };
  let emulator: LinkEmulator | undefined;
  let closed = false;
  let profile = opts.profile ?? LINK_PROFILES.lan;

  const close = async () => {
    if (closed) return;
    closed = true;
    await emulator?.stop(); // its TUN devices go with it
    if (made.veth) await ip('link', 'del', dev.vethRoot).catch(() => undefined); // gone with its namespace already
    for (const ns of made.ns) await ip('netns', 'del', ns).catch(() => undefined);
  };

  const apply = async (p: LinkProfile) => {
    if (!emulator || closed) throw new TestkitError('network', 'the bench network is closed');
    const common = { delayMs: p.delayMs, jitterMs: p.jitterMs, lossPct: p.lossPct, queueMs };
    await emulator.set('up', { ...common, rateKbit: p.upKbit });
    await emulator.set('down', { ...common, rateKbit: p.downKbit });
    profile = p;
  };

  try {
    for (const ns of [cns, tns]) {
      await ip('netns', 'add', ns);
      made.ns.push(ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    // the customer's link: a TUN device on each side, the emulator between them
    emulator = await startLinkEmulator({ netnsPath: `/var/run/netns/${cns}`, inner: dev.inner, outer: dev.outer, seed: opts.seed ?? 1 });
    await apply(profile);
    await ip('addr', 'add', `10.${n}.1.1`, 'peer', `10.${n}.1.2/32`, 'dev', dev.outer);
    await ip('link', 'set', dev.outer, 'txqueuelen', '1000', 'up');
    stopForwarding(dev.outer);
    await ip('-n', cns, 'addr', 'add', `10.${n}.1.2`, 'peer', `10.${n}.1.1/32`, 'dev', dev.inner);
    await ip('-n', cns, 'link', 'set', dev.inner, 'txqueuelen', '1000', 'up');
    await ip('-n', cns, 'route', 'add', 'default', 'via', `10.${n}.1.1`, 'dev', dev.inner);
    // the technician's link: a plain veth
    await ip('link', 'add', dev.vethRoot, 'type', 'veth', 'peer', 'name', dev.vethInner);
    made.veth = true;
    await ip('link', 'set', dev.vethInner, 'netns', tns);
    await ip('addr', 'add', `10.${n}.2.1/24`, 'dev', dev.vethRoot);
    await ip('link', 'set', dev.vethRoot, 'up');
    stopForwarding(dev.vethRoot);
    await ip('-n', tns, 'addr', 'add', `10.${n}.2.2/24`, 'dev', dev.vethInner);
    await ip('-n', tns, 'link', 'set', dev.vethInner, 'up');
    await ip('-n', tns, 'route', 'add', 'default', 'via', `10.${n}.2.1`);
  } catch (err) {
    await close();
    throw new TestkitError('network', `making the bench network (${cns}, ${tns}) failed: ${describeError(err)}`, { cause: err });
  }

  const running = emulator;
  return {
    customer: { ns: cns, addr: `10.${n}.1.2`, cpus: cpus.customer },
    technician: { ns: tns, addr: `10.${n}.2.2`, cpus: cpus.technician },
    serverAddr: `10.${n}.1.1`,
    get profile() {
      return profile;
    },
    setProfile: apply,
    counters: () => running.counters(),
    wrap(side, file, args) {
      const ns = side === 'customer' ? cns : tns;
      return ['ip', ['netns', 'exec', ns, 'taskset', '-c', side === 'customer' ? cpus.customer : cpus.technician, file, ...args]];
    },
    emulatorPid: running.pid,
    close,
  };
}
