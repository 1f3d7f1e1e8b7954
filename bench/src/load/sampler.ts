import { hostBusyMs, processCpuMs, rssKiB } from '@fernhilfe/testkit';

/** A process to sample: a server node, redis-server, postgres. */
export interface Sampled {
  name: string;
  pid: number;
}

/** One sample: CPU over the interval since the previous sample (% of one core) and memory now. */
export interface Sample {
  /** seconds since the sampler started */
  t: number;
  phase: string;
  procs: { name: string; cpu: number; rssMiB: number }[];
  /** this bench process, all threads (the load generator) */
  benchCpu: number;
  /** the whole host, % of one core (200 = both cores of a 2-core machine busy) */
  hostCpu: number;
}

/**
 * Samples CPU and memory of the node processes (from /proc) every `everyMs`, so that the report can
 * show them over time (goal: flat) and say whether the load generator left the nodes enough CPU.
 */
export class Sampler {
  readonly samples: Sample[] = [];
  phase = 'start';
  private readonly t0 = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private last: { at: number; cpu: number[]; bench: number; host: number };

  constructor(
    private readonly procs: Sampled[],
    private readonly everyMs: number,
  ) {
    this.last = this.read();
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): Sample[] {
    clearInterval(this.timer);
    this.sample();
    return this.samples;
  }

  private read() {
    const u = process.cpuUsage();
    return {
      at: performance.now(),
      cpu: this.procs.map((p) => safe(() => processCpuMs(p.pid))),
      bench: (u.user + u.system) / 1000,
      host: hostBusyMs(),
    };
  }

  private sample(): void {
    const now = this.read();
    const wall = now.at - this.last.at;
    if (wall < 100) return;
    const pct = (ms: number) => Math.max(0, (ms / wall) * 100);
    this.samples.push({
      t: (now.at - this.t0) / 1000,
      phase: this.phase,
      procs: this.procs.map((p, i) => ({ name: p.name, cpu: pct(now.cpu[i]! - this.last.cpu[i]!), rssMiB: safe(() => rssKiB(p.pid)) / 1024 })),
      benchCpu: pct(now.bench - this.last.bench),
      hostCpu: pct(now.host - this.last.host),
    });
    this.last = now;
  }
}

/** A process that is gone reads as 0 (the report shows it; a crash is reported by the node's own check). */
function safe(read: () => number): number {
  try {
    return read();
  } catch {
    return 0;
  }
}
