import { readFileSync } from 'node:fs';
import { cpuMsByPid, listProcesses, processTree } from '@fernhilfe/testkit';

/**
 * The machine's load around a measurement, so a figure comes with what else ran: /proc/loadavg, the
 * whole machine's and each core's busy share from /proc/stat, and the CPU of processes that are not
 * the bench's own (everything outside this process's tree: other users' builds and tests).
 */
export interface LoadSample {
  ms: number;
  /** 1-minute load average at the end of the window */
  loadavg1: number;
  /** all cores busy, % of the whole machine (100 = every core busy) */
  busyPct: number;
  /** each core busy, % of that core */
  corePct: number[];
  /** processes outside the bench, % of one core */
  othersPct: number;
  /** the busiest of them (program name only, never its arguments; % of one core), at most three */
  topOthers: Array<{ cmd: string; pct: number }>;
}

interface CoreTimes {
  busy: number;
  total: number;
}

function coreTimes(): CoreTimes[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d* /.test(l))
    .map((l) => {
      const v = l.trim().split(/\s+/).slice(1, 9).map(Number);
      const total = v.reduce((a, b) => a + b, 0);
      return { busy: total - v[3]! - v[4]!, total };
    });
}

function others(): { pids: number[]; cmd: Map<number, string> } {
  const procs = listProcesses();
  const own = new Set(processTree(process.pid, procs));
  const list = procs.filter((p) => !own.has(p.pid));
  return { pids: list.map((p) => p.pid), cmd: new Map(list.map((p) => [p.pid, programName(p.cmdline)])) };
}

/** only the program's file name: another user's arguments are none of the report's business */
const programName = (cmdline: string) => (cmdline.split(' ')[0] ?? '').split('/').pop() || '?';

export class LoadWindow {
  private constructor(
    private readonly t0: number,
    private readonly cores0: CoreTimes[],
    private readonly others0: Map<number, number>,
    private readonly cmd: Map<number, string>,
  ) {}

  static start(): LoadWindow {
    const o = others();
    return new LoadWindow(performance.now(), coreTimes(), cpuMsByPid(o.pids), o.cmd);
  }

  stop(): LoadSample {
    const ms = performance.now() - this.t0;
    const cores1 = coreTimes();
    const share = (i: number) => {
      const a = this.cores0[i]!;
      const b = cores1[i]!;
      return b.total > a.total ? ((b.busy - a.busy) / (b.total - a.total)) * 100 : 0;
    };
    const after = cpuMsByPid([...this.others0.keys()]);
    const per = [...after].map(([pid, end]) => ({ cmd: this.cmd.get(pid) ?? String(pid), pct: (Math.max(0, end - this.others0.get(pid)!) / ms) * 100 }));
    return {
      ms,
      loadavg1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      busyPct: share(0),
      corePct: cores1.slice(1).map((_, i) => share(i + 1)),
      othersPct: per.reduce((n, p) => n + p.pct, 0),
      topOthers: per
        .filter((p) => p.pct >= 1)
        .sort((a, b) => b.pct - a.pct)
        .slice(0, 3),
    };
  }
}

/** The load over `ms` from now (before the run). */
export async function loadOver(ms: number): Promise<LoadSample> {
  const w = LoadWindow.start();
  await new Promise((r) => setTimeout(r, ms));
  return w.stop();
}

export function showLoad(l: LoadSample): string {
  const top = l.topOthers.map((p) => `${p.cmd} ${p.pct.toFixed(0)} %`).join(', ');
  return `load ${l.loadavg1.toFixed(2)}, machine ${l.busyPct.toFixed(0)} % busy (cores ${l.corePct.map((c) => c.toFixed(0)).join('/')} %), others ${l.othersPct.toFixed(0)} % of a core${top ? ` (${top})` : ''}`;
}
