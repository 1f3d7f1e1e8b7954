import { execProgramSync, programPath } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { BenchError } from '../../errors.js';

/**
 * TEMPORARY stand-in for engineer E's `tools/testkit/src/netlab.ts` (issue 17, shared contract 3), so the
 * bench can be written and tried before E's branch is on main. Same types and functions; it makes the
 * two namespaces and their veth links, but it emulates NO link: setProfile() only records the profile,
 * and `emulated` says so (the report prints it). Delete this file and import from @fernhilfe/testkit
 * once netlab.ts has landed (bench/src/compare/net/index.ts is the one place that switches).
 */
export type LinkProfileName = 'lan' | 'dsl' | 'lte' | 'bad';
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

/** Counters of one direction since the emulator started (E's netlab has more fields; the bench reads these). */
export interface DirectionCounters {
  packets: number;
  bytes: number;
  lossDrops: number;
  queueDrops: number;
}
export interface LinkCounters {
  up: DirectionCounters;
  down: DirectionCounters;
}

export interface BenchNet {
  customer: { ns: string; addr: string; cpus: string };
  technician: { ns: string; addr: string; cpus: string };
  serverAddr: string;
  setProfile(p: LinkProfile): Promise<void>;
  /** not in the shared contract; E's netlab has it (the emulator's counters per direction) */
  counters?(): Promise<LinkCounters>;
  wrap(side: 'customer' | 'technician', file: string, args: string[]): [string, string[]];
  close(): Promise<void>;
}

/** false: this stand-in applies no profile (E's emulator does) */
export const STANDIN_EMULATES = false;

const ip = (...args: string[]) => execProgramSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });

export function canMakeBenchNet(): { ok: boolean; why?: string } {
  try {
    programPath('taskset');
    const probe = `fhbp${randomBytes(3).toString('hex')}`;
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return { ok: true };
  } catch (err) {
    return { ok: false, why: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

export async function startBenchNet(opts: { profile?: LinkProfile } = {}): Promise<BenchNet> {
  const id = randomBytes(3).toString('hex');
  const used = ip('-4', '-o', 'addr');
  const n = [...Array(50)].map(() => 64 + Math.floor(Math.random() * 180)).find((k) => !used.includes(` 10.${k}.`));
  if (n === undefined) throw new BenchError('process', 'no free 10.N.0.0/16 for the bench network');
  const made: string[] = [];
  const close = async () => {
    for (const ns of made.splice(0)) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // gone already
      }
    }
  };
  try {
    for (const [side, octet] of [['c', 1], ['t', 2]] as const) {
      const ns = `fhb${side}${id}`;
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('link', 'add', `fhb${id}${side}0`, 'type', 'veth', 'peer', 'name', `fhb${id}${side}1`);
      ip('link', 'set', `fhb${id}${side}1`, 'netns', ns);
      ip('addr', 'add', `10.${n}.${octet}.1/24`, 'dev', `fhb${id}${side}0`);
      ip('link', 'set', `fhb${id}${side}0`, 'up');
      ip('-n', ns, 'addr', 'add', `10.${n}.${octet}.2/24`, 'dev', `fhb${id}${side}1`);
      ip('-n', ns, 'link', 'set', `fhb${id}${side}1`, 'up');
      ip('-n', ns, 'route', 'add', 'default', 'via', `10.${n}.${octet}.1`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  let profile = opts.profile ?? LINK_PROFILES.lan;
  const net: BenchNet = {
    customer: { ns: `fhbc${id}`, addr: `10.${n}.1.2`, cpus: '0' },
    technician: { ns: `fhbt${id}`, addr: `10.${n}.2.2`, cpus: '1' },
    serverAddr: `10.${n}.1.1`,
    setProfile: async (p) => void (profile = p),
    wrap: (side, file, args) => {
      const m = side === 'customer' ? net.customer : net.technician;
      return [programPath('ip'), ['netns', 'exec', m.ns, programPath('taskset'), '-c', m.cpus, file, ...args]];
    },
    close,
  };
  void profile;
  return net;
}
