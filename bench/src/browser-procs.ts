import { listProcesses, type ProcessEntry } from '@fernhilfe/testkit';
import { BenchError } from './errors.js';

/**
 * Chromium's processes, found in /proc: the browser process is the one whose command line holds a
 * marker switch we gave it (Chromium ignores switches it does not know), the rest are its
 * descendants, each classed by its `--type=` (renderer, gpu-process, utility, zygote, ...).
 */

export type ProcessKind = 'browser' | 'renderer' | 'gpu' | 'utility' | 'other';

function kindOf(cmdline: string): ProcessKind {
  const type = /--type=(\S+)/.exec(cmdline)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return 'utility';
  return 'other';
}

/** The browser started with `marker` on its command line and all processes below it. */
export function chromiumProcesses(marker: string): Array<{ pid: number; kind: ProcessKind }> {
  const procs = listProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const root = procs.find((p) => p.cmdline.includes(marker) && !byPid.get(p.ppid)?.cmdline.includes(marker));
  if (!root) throw new BenchError('process', `no Chromium process with ${marker} on its command line`);
  const children = new Map<number, ProcessEntry[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Array<{ pid: number; kind: ProcessKind }> = [];
  const walk = (p: ProcessEntry) => {
    out.push({ pid: p.pid, kind: p === root ? 'browser' : kindOf(p.cmdline) });
    for (const c of children.get(p.pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/**
 * % of one core each kind of process used between two snapshots of the same processes over
 * `wallMs` (processes that started or ended in between are left out).
 */
export function cpuByKind(procs: Array<{ pid: number; kind: ProcessKind }>, before: Map<number, number>, after: Map<number, number>, wallMs: number): Record<ProcessKind | 'total', number> {
  const out: Record<ProcessKind | 'total', number> = { browser: 0, renderer: 0, gpu: 0, utility: 0, other: 0, total: 0 };
  for (const p of procs) {
    const a = before.get(p.pid);
    const b = after.get(p.pid);
    if (a === undefined || b === undefined) continue;
    const pct = ((b - a) / wallMs) * 100;
    out[p.kind] += pct;
    out.total += pct;
  }
  return out;
}
