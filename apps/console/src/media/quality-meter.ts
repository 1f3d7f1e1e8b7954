/** What the quality indicator shows, for the last period (about one second). */
export interface QualityStats {
  /** frames drawn per second */
  fps: number;
  /** median of draw time minus the sender's capture time (wall clocks); undefined when nothing was drawn */
  latencyMs: number | undefined;
  /** video bytes received, in kbit/s */
  kbps: number;
}

export const emptyStats: QualityStats = { fps: 0, latencyMs: undefined, kbps: 0 };

/** Counts drawn frames, their latency and received bytes; `sample()` reports and starts a new period. */
export class QualityMeter {
  private frames = 0;
  private bytes = 0;
  private latencies: number[] = [];
  private since: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.since = now();
  }

  received(bytes: number): void {
    this.bytes += bytes;
  }

  drawn(latencyMs: number): void {
    this.frames++;
    // clocks that are slightly out of step must not show a negative delay
    if (Number.isFinite(latencyMs)) this.latencies.push(Math.max(0, latencyMs));
  }

  sample(): QualityStats {
    const t = this.now();
    const seconds = Math.max((t - this.since) / 1000, 0.001);
    const stats: QualityStats = {
      fps: Math.round(this.frames / seconds),
      latencyMs: median(this.latencies),
      kbps: Math.round((this.bytes * 8) / 1000 / seconds),
    };
    this.since = t;
    this.frames = 0;
    this.bytes = 0;
    this.latencies = [];
    return stats;
  }
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]!);
}
