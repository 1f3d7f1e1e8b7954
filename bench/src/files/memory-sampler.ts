import { processCpuMs, rssKiB } from '@fernhilfe/testkit';

/**
 * Samples VmRSS of some processes every `everyMs` and keeps each one's high-water mark (KiB); also
 * the CPU time (user + system, all threads) each used meanwhile, which the machine's other load
 * disturbs far less than wall-clock time.
 */
export class MemorySampler {
  private readonly peak = new Map<string, number>();
  private readonly cpu0 = new Map<string, number>();
  private readonly cpu = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: Record<string, number>,
    everyMs = 100,
  ) {
    for (const [name, pid] of Object.entries(pids)) this.cpu0.set(name, cpuOf(pid) ?? 0);
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** CPU milliseconds each process used since the start (up to its last sample) */
  cpuMs(): Record<string, number> {
    return Object.fromEntries([...this.cpu].map(([name, ms]) => [name, ms - (this.cpu0.get(name) ?? 0)]));
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(this.peak);
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      try {
        this.peak.set(name, Math.max(this.peak.get(name) ?? 0, rssKiB(pid)));
        this.cpu.set(name, processCpuMs(pid));
      } catch {
        // the process is gone; its last sample stays
      }
    }
  }
}

function cpuOf(pid: number): number | undefined {
  try {
    return processCpuMs(pid);
  } catch {
    return undefined;
  }
}
