/** Progress of the run with an ETA from the measurements so far (`[k/n] … elapsed 3:10, ETA 12:40`). */
export class Progress {
  private count = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly total: number,
    private readonly log: (line: string) => void,
  ) {}

  done(what: string): void {
    this.count++;
    const elapsed = performance.now() - this.t0;
    const eta = (elapsed / this.count) * (this.total - this.count);
    this.log(`[${this.count}/${this.total}] ${what}; elapsed ${clock(elapsed)}, ETA ${clock(eta)}`);
  }
}

export const clock = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
