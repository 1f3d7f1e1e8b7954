/** Speed over the last few seconds and the time left, from (time, bytes) samples. */
export class RateMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(bytes: number): void {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Forget the past (after a pause such as a lost connection, old samples would understate the speed). */
  reset(): void {
    this.samples = [];
  }

  get bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t - first.t < 100) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }

  secondsLeft(remaining: number): number | undefined {
    const bps = this.bytesPerSecond;
    return bps > 0 ? remaining / bps : undefined;
  }
}
