/** A request not answered by a keyframe yet is repeated after at least this long... */
const MIN_RETRY_MS = 500;
/** ...or 1.5 times the delay the last answered one took (request to keyframe), up to this. */
const MAX_RETRY_MS = 3000;

/**
 * The viewer's `keyframe-request`s. A keyframe is the biggest frame there is: on a narrow link
 * (2 Mbit/s) it can take most of a second to arrive, and asking again while it is on its way only makes
 * the sender produce a second one. So a request goes out at once when none is open (none sent, or the
 * last one answered by a keyframe: at most one per round trip), and while one is open it is repeated only
 * after 1.5 times the delay the last answered one took (at least 500 ms, at most 3 s). A request held
 * back goes out from `retry()` (the viewer's once-a-second tick) if no keyframe came meanwhile, so a
 * still screen that sends nothing more does not leave a stale picture. Forced requests (session start,
 * decoder error, a new canvas) always go out and are not timed (the customer may not be sharing yet).
 */
export class KeyframeRequests {
  private lastAt = -Infinity;
  /** a request went out and no keyframe came since */
  private open = false;
  /** when the first timed request of the open one went out */
  private waitingSince: number | undefined;
  private lastDelayMs = 0;
  /** a request was held back by the gap */
  private held = false;

  constructor(
    private readonly send: () => void,
    private readonly now: () => number,
  ) {}

  request(force = false): void {
    const t = this.now();
    if (!force && this.open && t - this.lastAt < this.retryGapMs) {
      this.held = true;
      return;
    }
    if (!force) this.waitingSince ??= t;
    this.lastAt = t;
    this.open = true;
    this.held = false;
    this.send();
  }

  /** Sends a request held back by the gap, once the gap has passed. */
  retry(): void {
    if (this.held) this.request();
  }

  /** A keyframe came in (asked for or not). */
  keyframeArrived(): void {
    this.open = false;
    this.held = false;
    if (this.waitingSince === undefined) return;
    this.lastDelayMs = this.now() - this.waitingSince;
    this.waitingSince = undefined;
  }

  /** The gap before an open request is repeated. */
  get retryGapMs(): number {
    return Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, 1.5 * this.lastDelayMs));
  }
}
