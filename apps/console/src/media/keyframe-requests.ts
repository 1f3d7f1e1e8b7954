/** Requests that are not forced go out at most this often... */
const MIN_GAP_MS = 500;
/** ...and while one is not answered yet, only after 1.5 times the last keyframe's delay (up to this). */
const MAX_RETRY_GAP_MS = 3000;

/**
 * The viewer's `keyframe-request`s, rate-limited. A keyframe is the biggest frame there is: on a
 * narrow link (2 Mbit/s) it can take most of a second to arrive, and asking again while it is on its
 * way only makes the sender produce a second one. So requests are at least 500 ms apart, and while a
 * request is not answered by a keyframe, it is repeated only after 1.5 times the delay the last
 * answered one took (request to arrival). Forced requests (session start, decoder error, a new canvas)
 * always go out and are not timed (the customer may not be sharing yet).
 */
export class KeyframeRequests {
  private lastAt = -Infinity;
  /** when the first request not answered by a keyframe yet went out */
  private waitingSince: number | undefined;
  private lastDelayMs = 0;

  constructor(
    private readonly send: () => void,
    private readonly now: () => number,
  ) {}

  request(force = false): void {
    const t = this.now();
    if (!force) {
      const gap = this.waitingSince === undefined ? MIN_GAP_MS : this.retryGapMs;
      if (t - this.lastAt < gap) return;
      this.waitingSince ??= t;
    }
    this.lastAt = t;
    this.send();
  }

  /** A keyframe came in (asked for or not). */
  keyframeArrived(): void {
    if (this.waitingSince === undefined) return;
    this.lastDelayMs = this.now() - this.waitingSince;
    this.waitingSince = undefined;
  }

  /** The gap before a request that is not answered yet is repeated. */
  get retryGapMs(): number {
    return Math.min(MAX_RETRY_GAP_MS, Math.max(MIN_GAP_MS, 1.5 * this.lastDelayMs));
  }
}
