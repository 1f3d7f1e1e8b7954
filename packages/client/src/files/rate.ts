import type { TransferInfo } from './types.js';

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

/** A transfer's info with its speed, and the time left while `moving` (sending or receiving). */
export function withProgress(base: Omit<TransferInfo, 'bytesPerSecond' | 'secondsLeft'>, rate: RateMeter, moving: boolean): TransferInfo {
  const info: TransferInfo = { ...base, bytesPerSecond: rate.bytesPerSecond };
  const left = rate.secondsLeft(base.size - base.transferred);
  if (left !== undefined && moving) info.secondsLeft = left;
  return info;
}
