/**
 * Counts failed sign-ins per key (`login:<name>`, `ip:<address>`) in a sliding window. Async so that
 * it can live in Redis (cluster/redis-sign-in-limiter.ts) and be shared by all server nodes.
 */
export interface SignInLimiter {
  /** 0 when another attempt is allowed, otherwise the seconds until it will be. */
  retryAfterSeconds(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Failed sign-ins allowed per key inside the window; the next attempt is refused. */
export const SIGN_IN_MAX_FAILURES = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

export interface FailureLimiterOptions {
  /** Failures allowed inside the window; the next attempt is refused. Default 10. */
  maxFailures?: number;
  /** Default 15 minutes. */
  windowMs?: number;
  /** Upper bound on tracked keys, so a flood of distinct logins cannot exhaust memory. Default 100 000. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Counts failures per key (e.g. `login:alice`, `ip:203.0.113.9`) in a sliding window.
 * In memory: each server node limits on its own (the default without REDIS_URL).
 */
export class FailureLimiter implements SignInLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** Failure times per key, oldest first; at most maxFailures entries each. */
  readonly #failures = new Map<string, number[]>();

  constructor(opts: FailureLimiterOptions = {}) {
    this.#maxFailures = opts.maxFailures ?? SIGN_IN_MAX_FAILURES;
    this.#windowMs = opts.windowMs ?? SIGN_IN_WINDOW_MS;
    this.#maxKeys = opts.maxKeys ?? 100_000;
    this.#now = opts.now ?? Date.now;
  }

  retryAfterSeconds(key: string): Promise<number> {
    return Promise.resolve(this.#retryAfterSeconds(key));
  }

  recordFailure(key: string): Promise<void> {
    this.#recordFailure(key);
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.#failures.delete(key);
    return Promise.resolve();
  }

  #retryAfterSeconds(key: string): number {
    const times = this.#recent(key);
    if (times.length < this.#maxFailures) return 0;
    const oldest = times[0] ?? this.#now();
    return Math.max(1, Math.ceil((oldest + this.#windowMs - this.#now()) / 1000));
  }

  #recordFailure(key: string): void {
    const times = this.#recent(key);
    times.push(this.#now());
    if (times.length > this.#maxFailures) times.shift();
    this.#failures.delete(key); // re-insert so Map order is least recently failed first
    this.#failures.set(key, times);
    if (this.#failures.size > this.#maxKeys) this.#evict();
  }

  #recent(key: string): number[] {
    const cutoff = this.#now() - this.#windowMs;
    const times = (this.#failures.get(key) ?? []).filter((t) => t > cutoff);
    if (times.length === 0) this.#failures.delete(key);
    return times;
  }

  #evict(): void {
    const cutoff = this.#now() - this.#windowMs;
    for (const [key, times] of this.#failures) {
      if ((times.at(-1) ?? 0) <= cutoff) this.#failures.delete(key);
    }
    // Still full of live keys: forget the ones that failed longest ago.
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= this.#maxKeys) break;
      this.#failures.delete(key);
    }
  }
}
