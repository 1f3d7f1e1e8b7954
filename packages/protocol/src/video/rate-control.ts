/**
 * Delay-based rate control for a video sender (in the spirit of WebRTC's GCC, written for our
 * acknowledged frames; see docs/agent-screen.md "Rate control"). Pure: fed with what was sent and
 * what the viewer acknowledged, on the caller's clock.
 *
 * - base RTT (`minRttMs`): the 10th percentile of the ack round trips of the last 10 s (the path's
 *   own delay plus the viewer's decode and draw; not the minimum: on a busy machine one lucky ack
 *   would make every later one look queued by the agent's and the viewer's CPU);
 * - queueing delay: the smallest (RTT − minimum RTT) among the acks of the last 250 ms; taking the
 *   smallest lets a single late ack (a lost TCP segment retransmitted) pass, while a queue that
 *   really builds up lifts every sample;
 * - delivered rate: bytes acknowledged over the last 500 ms (acks say what got through);
 * - while acks are held back, the age of the oldest frame in flight over the minimum RTT counts as
 *   queueing delay too.
 *
 * Decisions, at most every 100 ms (`update`); "using" means the sender sent at least 60 % of the
 * target lately or was held back by the budget (an idle screen says little about the path):
 * - overuse (queue over 40 ms, or over 15 ms while less is delivered than sent, at two decisions
 *   in a row, so the burst of late acks after one lost segment is no overuse): cut to
 *   0.85 × delivered while using (0.85 × the target when not, or while only the age of a frame in
 *   flight shows the queue), then no cut or growth for one RTT + 100 ms;
 * - held back by the budget with no queue, and under 70 % of the target delivered (big frames one
 *   at a time over a narrow link): to what is delivered (at most half in one step);
 * - a small queue (15–40 ms): hold, while using never above what is delivered;
 * - quiet (under 15 ms), using, at least 75 % of the target delivered: grow 8 % per 100 ms, 1 % near
 *   the rate where the path last filled up;
 * - between the floor (150 kbps) and the ceiling (30 Mbit/s).
 */
export interface RateControlOptions {
  /** where the target starts (default 4000 kbps) */
  startKbps?: number;
  /** the floor the target never goes under (default 150 kbps) */
  minKbps?: number;
  /** the ceiling (default 30000 kbps) */
  maxKbps?: number;
  now?: () => number;
}

export const RATE_DEFAULTS = {
  startKbps: 4000,
  minKbps: 150,
  maxKbps: 30_000,
  /** a queue above this is overuse */
  overuseMs: 40,
  /** a queue below this is a quiet path */
  quietMs: 15,
  /** the window for the queueing-delay estimate (smallest sample in it) */
  queueWindowMs: 250,
  /** the window for the delivered and sent rates */
  rateWindowMs: 500,
  /** how long the minimum RTT is remembered */
  minRttWindowMs: 10_000,
  /** decisions at most this often */
  intervalMs: 100,
  /** growth per interval on a quiet path */
  growth: 1.08,
  /** growth per interval near the rate where the path last filled up */
  creep: 1.01,
  /** a cut goes to this share of the delivered rate */
  cutToDelivered: 0.85,
  /** a cut this soon after the last one believes only the delivered rate */
  recutWindowMs: 1000,
  /** after a cut, no other for one RTT plus this */
  holdExtraMs: 100,
  /** a frame at least this big tells the link's rate by its own transmission time */
  trainMinBytes: 6000,
  /** how much of a big frame's own rate (over the delivered rate) a cut believes */
  trainTrust: 0.7,
  /** how long such a per-frame estimate counts */
  trainWindowMs: 2000,
} as const;

interface Sample {
  at: number;
  bytes: number;
}

export class RateControl {
  private target: number;
  private readonly minKbps: number;
  private readonly maxKbps: number;
  private readonly now: () => number;
  private readonly acks: Array<Sample & { rtt: number }> = [];
  private readonly sends: Sample[] = [];
  private readonly rtts: Array<{ at: number; rtt: number }> = [];
  private baseCache: { at: number; rtt: number } | undefined;
  private lastDecision = -Infinity;
  private lastCut = -Infinity;
  private firstAck: number | undefined;
  /** the delivered rate when the path last filled up: growth slows near it */
  private linkKbps: number | undefined;
  private overuseSeen = false;
  private blockedAt = -Infinity;
  /** per-frame estimates of what the link carries: a big frame's bytes over the time it took beyond the base RTT */
  private readonly trains: Array<{ at: number; kbps: number }> = [];

  constructor(opts: RateControlOptions = {}) {
    this.minKbps = opts.minKbps ?? RATE_DEFAULTS.minKbps;
    this.maxKbps = opts.maxKbps ?? RATE_DEFAULTS.maxKbps;
    this.target = clamp(opts.startKbps ?? RATE_DEFAULTS.startKbps, this.minKbps, this.maxKbps);
    this.now = opts.now ?? (() => performance.now());
  }

  /** the bitrate the sender should aim at now (kbps) */
  get targetKbps(): number {
    return this.target;
  }

  /** the rate acknowledged over the last 500 ms (kbps): what the path carried */
  get deliveredKbps(): number {
    return rateKbps(this.acks, this.now(), this.window(this.acks));
  }

  /** what the link carried lately: the delivered rate, or the last big frame's own rate (within 2 s) when higher (kbps) */
  get capacityKbps(): number {
    const last = this.trains.at(-1);
    const train = last && this.now() - last.at <= RATE_DEFAULTS.trainWindowMs ? last.kbps : 0;
    return Math.max(this.deliveredKbps, train);
  }

  /** the rate sent over the last 500 ms (kbps) */
  get sentKbps(): number {
    return rateKbps(this.sends, this.now(), this.window(this.sends));
  }

  /** the path's own round trip (ms): the 10th percentile of the last 10 s of acks; 0 before the first */
  get minRttMs(): number {
    const now = this.now();
    if (this.baseCache?.at === now) return this.baseCache.rtt;
    while (this.rtts.length > 1 && now - this.rtts[0]!.at > RATE_DEFAULTS.minRttWindowMs) this.rtts.shift();
    const sorted = this.rtts.map((s) => s.rtt).sort((a, b) => a - b);
    const rtt = sorted[Math.floor((sorted.length - 1) * 0.1)] ?? 0;
    this.baseCache = { at: now, rtt };
    return rtt;
  }

  /** how much longer than the path's own round trip the recent acks took (ms) */
  get queueDelayMs(): number {
    const now = this.now();
    const base = this.minRttMs;
    let smallest = Infinity;
    for (let i = this.acks.length - 1; i >= 0 && now - this.acks[i]!.at <= RATE_DEFAULTS.queueWindowMs; i--) smallest = Math.min(smallest, this.acks[i]!.rtt - base);
    if (smallest === Infinity) smallest = this.acks.length > 0 ? this.acks.at(-1)!.rtt - base : 0;
    return Math.max(0, smallest);
  }

  /**
   * Has the path shown that it limits the sender: a queue now, or a cut within the last 10 s? While
   * not, the target is a guess the sender never reached, and holding frames to it (pacing) only adds
   * latency on a link with room; the byte budget in flight still bounds any queue.
   */
  get limiting(): boolean {
    return this.queueDelayMs >= RATE_DEFAULTS.quietMs || this.now() - this.lastCut < RATE_DEFAULTS.minRttWindowMs;
  }

  /** bytes that may be in flight: the target over the base RTT (at most 400 ms) plus a margin (at least `minBytes`) */
  budgetBytes(minBytes = 0, marginMs = 60): number {
    return Math.max(minBytes, Math.round((this.target * (Math.min(this.minRttMs, 400) + marginMs)) / 8));
  }

  /** A frame of `bytes` went out. */
  onSent(bytes: number): void {
    this.sends.push({ at: this.now(), bytes });
    this.trim(this.sends);
  }

  /** A frame could not go out because the budget in flight was full: the path, not the screen, limits the rate. */
  onBlocked(): void {
    this.blockedAt = this.now();
  }

  /** The viewer acknowledged `bytes` (one frame, with any it skipped) sent `rttMs` ago. */
  onAck(bytes: number, rttMs: number): void {
    const now = this.now();
    this.firstAck ??= now;
    this.acks.push({ at: now, bytes, rtt: rttMs });
    this.trim(this.acks);
    this.rtts.push({ at: now, rtt: rttMs });
    this.baseCache = undefined;
    // a big frame is a packet train: its extra time over the base RTT is (mostly) its own transmission,
    // so bytes over that time say what the link carries even while the screen sends little (a
    // refinement after typing, a keyframe); other frames in flight only make it lower (conservative)
    const extra = rttMs - this.minRttMs;
    if (bytes >= RATE_DEFAULTS.trainMinBytes && extra > 2) this.trains.push({ at: now, kbps: (bytes * 8) / extra });
    while (this.trains.length > 0 && now - this.trains[0]!.at > RATE_DEFAULTS.trainWindowMs) this.trains.shift();
    this.update();
  }

  /**
   * Decides (at most every 100 ms); call on acks (done by onAck) and on a timer while frames are in
   * flight, with how long the oldest unacknowledged frame has been on its way: while a link that just
   * narrowed holds the acks back, that age is the only sign of the queue. Returns true when the
   * target changed.
   */
  update(oldestInFlightMs = 0): boolean {
    const now = this.now();
    if (now - this.lastDecision < RATE_DEFAULTS.intervalMs || this.firstAck === undefined) return false;
    this.lastDecision = now;
    const before = this.target;
    const acked = this.queueDelayMs;
    const queue = Math.max(acked, oldestInFlightMs - this.minRttMs);
    // what got through: the acknowledged rate, or what a big frame showed the link carries (an app-limited
    // sender's delivered rate is what it sent, not what the path can)
    const delivered = this.deliveredKbps;
    const capacity = this.capacityKbps;
    const sent = this.sentKbps;
    const blocked = now - this.blockedAt <= RATE_DEFAULTS.rateWindowMs;
    const using = sent >= 0.6 * this.target || blocked;
    const hold = now - this.lastCut < this.minRttMs + RATE_DEFAULTS.holdExtraMs;
    const overuseNow = queue > RATE_DEFAULTS.overuseMs || (queue > RATE_DEFAULTS.quietMs && delivered < 0.8 * sent);
    // overuse counts when two decisions in a row see it: a burst of late acks after one lost
    // segment is one decision's worth, a queue that builds up is more
    const overuse = overuseNow && this.overuseSeen;
    this.overuseSeen = overuseNow;
    if (overuse && !using) {
      // a queue while the screen sends little and nothing is held back: its own big frame (a refinement,
      // a keyframe) on its way, or someone else's traffic. Step down by 15 %, but not under what a big
      // frame just showed the link carries (typing's refinements must not walk the target to the floor)
      if (!hold) {
        this.target = Math.max(this.target * RATE_DEFAULTS.cutToDelivered, Math.min(this.target, capacity * RATE_DEFAULTS.cutToDelivered));
        this.lastCut = now;
      }
    } else if (overuse) {
      if (!hold) {
        // delivered is what the path carried while it was full; when the sender was partly idle it says
        // less than the path can, so then one cut goes at most to half the target (repeated cuts while
        // a queue drains stay at 0.85 × delivered: they do not compound)
        // (a big frame's own rate, discounted: the base RTT holds part of its transmission, so it reads high)
        // A queue still there within a second of the last cut says that cut believed too much: then the
        // delivered rate alone (a big frame's rate read against a base RTT that a standing queue has lifted
        // says the link carries far more than it does; on a loaded machine that kept 1.4 Mbit/s aimed at a
        // 1 Mbit/s link)
        const again = now - this.lastCut < RATE_DEFAULTS.recutWindowMs;
        const measured = (again ? delivered : delivered + RATE_DEFAULTS.trainTrust * (capacity - delivered)) || this.target;
        // only the age of a frame in flight says so (no ack yet), or the sender used little of its
        // target (delivered says what it sent, not what the path can): step down by 15 %
        const cut = acked > RATE_DEFAULTS.quietMs && using ? measured * RATE_DEFAULTS.cutToDelivered : this.target * RATE_DEFAULTS.cutToDelivered;
        this.target = Math.min(this.target, cut);
        this.lastCut = now;
        this.linkKbps = measured;
      }
    } else if (blocked && !hold && queue < RATE_DEFAULTS.quietMs && this.acks.length >= 3 && capacity < 0.7 * this.target) {
      // no queue, yet the budget held frames back and far less got through than aimed at: big frames
      // one at a time over a narrow link (a frame's own transmission is no queue); aim at what gets through
      this.target = Math.max(capacity, this.target * 0.5);
      this.lastCut = now;
      this.linkKbps = capacity;
    } else if (queue >= RATE_DEFAULTS.quietMs) {
      // a small queue: hold, but never aim over what gets through
      if (using && this.target > delivered) {
        this.target = Math.max(0.95 * delivered, this.target * 0.9);
        this.linkKbps = delivered;
      }
    } else if (using && delivered >= 0.75 * this.target && !hold) {
      // quiet: near the rate where the path last filled up, creep (+1 %); past it, or far below, grow fast
      const near = this.linkKbps !== undefined && this.target > 0.85 * this.linkKbps && this.target < 1.2 * this.linkKbps;
      if (this.linkKbps !== undefined && this.target >= 1.2 * this.linkKbps) this.linkKbps = undefined;
      this.target = near ? this.target * RATE_DEFAULTS.creep : this.target * RATE_DEFAULTS.growth;
    }
    this.target = clamp(this.target, this.minKbps, this.maxKbps);
    return Math.round(this.target) !== Math.round(before);
  }

  private window(samples: Sample[]): number {
    const first = samples[0];
    // a short history: divide by what it covers (at least 100 ms), not the full second
    return first ? Math.min(RATE_DEFAULTS.rateWindowMs, Math.max(RATE_DEFAULTS.intervalMs, this.now() - first.at)) : RATE_DEFAULTS.rateWindowMs;
  }

  private trim(samples: Sample[]): void {
    const limit = this.now() - RATE_DEFAULTS.rateWindowMs;
    while (samples.length > 0 && samples[0]!.at < limit) samples.shift();
  }
}

function rateKbps(samples: Sample[], now: number, windowMs: number): number {
  let bytes = 0;
  for (const s of samples) if (now - s.at <= RATE_DEFAULTS.rateWindowMs) bytes += s.bytes;
  return (bytes * 8) / windowMs; // bits per ms = kbps
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
