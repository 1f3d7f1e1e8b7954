import { execProgramSync } from '@fernhilfe/programs';
import { readdirSync, readFileSync } from 'node:fs';
import { TestkitError } from './errors.js';

/** Readers for Linux /proc: the process table and trees, a process's memory and CPU time, the whole host's busy time. */

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** the command line, arguments joined by spaces */
  cmdline: string;
}

/** Every process in /proc with its parent and command line; one that ends while we look is left out. */
export function listProcesses(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command name (field 2) is in parentheses and may hold spaces; the parent is field 4
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** A process and all its descendants (e.g. the agent and its encoder children), the root first. */
export function processTree(root: number, procs: ProcessEntry[] = listProcesses()): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const p of procs) if (p.ppid === tree[i]) tree.push(p.pid);
  return tree;
}

/** CPU time (ms) so far of each of `pids`, by pid; a process that is gone is left out (compare two over a window where they live). */
export function cpuMsByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, processCpuMs(pid));
    } catch {
      // ended
    }
  }
  return out;
}

/** Resident set size of `pid`, KiB (VmRSS in /proc/<pid>/status). */
export function rssKiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!match) throw new TestkitError('process', `no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/** User + system CPU time of `pid` so far, ms (utime and stime, fields 14 and 15 of /proc/<pid>/stat). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) is in parentheses and may hold spaces; fields[0] is field 3
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/** CPU time all cores of the host spent busy so far, ms (first line of /proc/stat, all but idle and iowait). */
export function hostBusyMs(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return ticksToMs(user! + nice! + system! + irq! + softirq! + (steal ?? 0));
}

/** How busy the host is over `ms`, in % of one core. */
export async function hostLoadPercent(ms: number): Promise<number> {
  const before = hostBusyMs();
  await new Promise((r) => setTimeout(r, ms));
  return ((hostBusyMs() - before) / ms) * 100;
}

let ticks: number | undefined;
function ticksToMs(n: number): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execProgramSync('getconf', ['CLK_TCK']).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return (n * 1000) / ticks;
}
