import type { GdiApi } from './gdi-api.js';
import { lastInputTime } from './pointer.js';

/** polls while the screen changes (~30/s) */
const FAST_MS = 33;
/** after this long without a change… */
const QUIET_AFTER_MS = 1000;
/** …polls this often (4/s)… */
const SLOW_MS = 250;
/** …and once this long passed without a change, once a second */
const STILL_AFTER_MS = 5000;
const STILL_MS = 1000;
/** between slow polls, the time of the last input (GetLastInputInfo, local or injected) is read this often: input polls at once */
const INPUT_CHECK_MS = 100;

/**
 * When GDI capture looks at the screen next, since GDI has no change events: ~30 polls a second
 * while the screen changes, 4 a second after a quiet second, 1 a second after 5 quiet seconds; at
 * once after a full grab (`soon()`) or when the keyboard or mouse was used (GetLastInputInfo, read
 * 10 times a second while waiting, costs nothing measurable), and fast again from then on.
 */
export class PollTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastInput: number;
  private lastChange: number;
  private stopped = false;

  constructor(
    private readonly api: GdiApi,
    private readonly poll: () => void,
    /** ms, monotonic (tests pass their fake clock) */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastInput = lastInputTime(api);
    this.lastChange = now();
  }

  /** The screen changed (a poll or a grab saw it): poll fast for a while. */
  changed(): void {
    this.lastChange = this.now();
  }

  /** The next poll at once. */
  soon(): void {
    this.schedule(0);
  }

  /** The next poll after the delay the recent changes call for. */
  later(): void {
    const quiet = this.now() - this.lastChange;
    this.schedule(quiet > STILL_AFTER_MS ? STILL_MS : quiet > QUIET_AFTER_MS ? SLOW_MS : FAST_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The next poll in `ms`; while waiting longer than INPUT_CHECK_MS, input brings it forward. */
  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (ms <= INPUT_CHECK_MS) {
      this.timer = setTimeout(this.poll, ms);
      return;
    }
    const due = this.now() + ms;
    const tick = () => {
      if (this.stopped) return;
      const input = lastInputTime(this.api);
      if (input !== this.lastInput) {
        this.lastInput = input;
        this.changed(); // fast polling while someone works
        return this.poll();
      }
      const left = due - this.now();
      if (left <= 0) this.poll();
      else this.timer = setTimeout(tick, Math.min(INPUT_CHECK_MS, left));
    };
    this.timer = setTimeout(tick, Math.min(INPUT_CHECK_MS, ms));
  }
}
