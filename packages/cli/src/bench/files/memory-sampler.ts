import { rssKiB } from '../proc.js';

/** Samples VmRSS of some processes every `everyMs` and keeps each one's high-water mark (KiB). */
export class MemorySampler {
  private readonly peak = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: Record<string, number>,
    everyMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
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
      } catch {
        // the process is gone; its last sample stays
      }
    }
  }
}
