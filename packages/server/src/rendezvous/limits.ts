/**
 * Brute-force limits for `connect`. Three independent keys: the target ID (exponential back-off, so
 * guessing one customer's password gets slow at once), the technician account and the source
 * address (a cap of failures per window, so spreading guesses over many IDs is slow too).
 */
export interface LimitOptions {
  backoffBaseMs: number;
  backoffMaxMs?: number;
  accountFailures?: number;
  ipFailures?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * The limits as the broker uses them: in memory on one node (ConnectLimits), in Redis with several
 * (cluster/redis-limits.ts), hence async.
 */
export interface ConnectLimiter {
  /** Milliseconds until this attempt may be made; 0 when it may be made now. */
  retryAfter(target: string, account: string, ip: string): Promise<number>;
  recordFailure(target: string, account: string, ip: string): Promise<void>;
  /** A successful authentication clears the target's back-off (the ID is used up anyway). */
  recordSuccess(target: string): Promise<void>;
  /** Drops entries that no longer limit anything; called periodically. */
  sweep(): void;
}

/** The options with every default filled in: the same rules in memory and in Redis. */
export function withLimitDefaults(opts: LimitOptions): Required<LimitOptions> {
  return {
    backoffBaseMs: opts.backoffBaseMs,
    backoffMaxMs: opts.backoffMaxMs ?? 15 * 60_000,
    windowMs: opts.windowMs ?? 10 * 60_000,
    accountFailures: opts.accountFailures ?? 20,
    ipFailures: opts.ipFailures ?? 30,
    now: opts.now ?? Date.now,
  };
}

interface Backoff {
  failures: number;
  until: number;
}

export class ConnectLimits implements ConnectLimiter {
  private readonly byTarget = new Map<string, Backoff>();
  private readonly byAccount = new Map<string, number[]>();
  private readonly byIp = new Map<string, number[]>();
  private readonly limits: Required<LimitOptions>;

  constructor(opts: LimitOptions) {
    this.limits = withLimitDefaults(opts);
  }

  /** Milliseconds until this attempt may be made; 0 when it may be made now. */
  async retryAfter(target: string, account: string, ip: string): Promise<number> {
    const now = this.limits.now();
    const target_ = this.byTarget.get(target);
    const waits = [
      target_ ? target_.until - now : 0,
      this.windowWait(this.byAccount, account, this.limits.accountFailures, now),
      this.windowWait(this.byIp, ip, this.limits.ipFailures, now),
    ];
    return Math.max(0, ...waits);
  }

  async recordFailure(target: string, account: string, ip: string): Promise<void> {
    const now = this.limits.now();
    const prev = this.byTarget.get(target);
    const failures = (prev?.failures ?? 0) + 1;
    const delay = Math.min(this.limits.backoffMaxMs, this.limits.backoffBaseMs * 2 ** (failures - 1));
    this.byTarget.set(target, { failures, until: now + delay });
    this.push(this.byAccount, account, now);
    this.push(this.byIp, ip, now);
  }

  /** A successful authentication clears the target's back-off (the ID is used up anyway). */
  async recordSuccess(target: string): Promise<void> {
    this.byTarget.delete(target);
  }

  /** Drops entries that no longer limit anything; called periodically. */
  sweep(): void {
    const now = this.limits.now();
    for (const [key, b] of this.byTarget) if (b.until + this.limits.backoffMaxMs < now) this.byTarget.delete(key);
    for (const map of [this.byAccount, this.byIp]) {
      for (const [key, times] of map) {
        const kept = times.filter((t) => t > now - this.limits.windowMs);
        if (kept.length === 0) map.delete(key);
        else map.set(key, kept);
      }
    }
  }

  private push(map: Map<string, number[]>, key: string, now: number): void {
    const times = (map.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    times.push(now);
    map.set(key, times);
  }

  private windowWait(map: Map<string, number[]>, key: string, limit: number, now: number): number {
    const times = (map.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (times.length < limit) return 0;
    return times[times.length - limit]! + this.limits.windowMs - now;
  }
}
