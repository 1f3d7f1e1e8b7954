import { signInKeysFor, SIGN_IN_POLICY, type SignInKey, type SignInPolicy } from './sign-in-policy.js';

export { SIGN_IN_POLICY, SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS } from './sign-in-policy.js';
export type { SignInKey, SignInPolicy } from './sign-in-policy.js';

/** Who tries to sign in: the login field as typed (or none, for setup) and the client's address. */
export interface SignInAttempt {
  login: string | undefined;
  ip: string;
}

/** A counted attempt; give it back with `settle` once its outcome is known. */
export interface SignInTicket {
  readonly keys: readonly SignInKey[];
  readonly member: string;
}

export type Admission = { ok: true; ticket: SignInTicket } | { ok: false; retryAfterSeconds: number };

/**
 * how an admitted attempt ended: `failed` keeps it counted; `not-a-failure` (the first step of a
 * two-factor sign-in, a busy server) gives it back; `succeeded` also forgets this login's earlier
 * failures from this address.
 */
export type SignInOutcome = 'failed' | 'not-a-failure' | 'succeeded';

/**
 * Limits sign-in attempts (and setup-token and two-factor code checks). An attempt is counted as a
 * failure *before* the password is checked, in one atomic step for all its keys, so that a burst of
 * parallel requests cannot all pass the check while the first ones are still hashing; it stops
 * counting once it turns out not to be a failure. Async so that it can live in Redis
 * (cluster/redis-sign-in-limiter.ts) and be shared by all server nodes. Policy: sign-in-policy.ts.
 */
export interface SignInLimiter {
  admit(attempt: SignInAttempt): Promise<Admission>;
  settle(ticket: SignInTicket, outcome: SignInOutcome): Promise<void>;
}

export interface FailureLimiterOptions {
  policy?: Partial<SignInPolicy>;
  /** Upper bound on tracked keys, so a flood of distinct logins cannot exhaust memory. Default 100 000. */
  maxKeys?: number;
  now?: () => number;
}

interface KeyState {
  /** admitted attempts that still count, oldest first: time and ticket member */
  attempts: { at: number; member: string }[];
  /** for a slowed login: when the next attempt may start */
  nextSlot: number;
}

/** The sign-in limiter in this node's memory (the default without REDIS_URL). Synchronous inside, so atomic. */
export class FailureLimiter implements SignInLimiter {
  readonly #policy: SignInPolicy;
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** least recently used first */
  readonly #keys = new Map<string, KeyState>();
  #serial = 0;

  constructor(opts: FailureLimiterOptions = {}) {
    this.#policy = { ...SIGN_IN_POLICY, ...opts.policy };
    this.#maxKeys = opts.maxKeys ?? 100_000;
    this.#now = opts.now ?? Date.now;
  }

  admit(attempt: SignInAttempt): Promise<Admission> {
    const now = this.#now();
    const keys = signInKeysFor(attempt, this.#policy);
    let waitMs = 0;
    let slowed: KeyState | undefined;
    for (const key of keys) {
      const state = this.#recent(key.name, now);
      if (state.attempts.length < key.max) continue;
      if (key.soft) {
        if (now < state.nextSlot) waitMs = Math.max(waitMs, state.nextSlot - now);
        else slowed = state;
      } else {
        const oldest = state.attempts[state.attempts.length - key.max]?.at ?? now;
        waitMs = Math.max(waitMs, oldest + this.#policy.windowMs - now);
      }
    }
    if (waitMs > 0) return Promise.resolve({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
    const member = `${now}:${++this.#serial}`;
    for (const key of keys) {
      const state = this.#touch(key.name);
      state.attempts.push({ at: now, member });
      if (state.attempts.length > key.max) state.attempts.shift();
    }
    if (slowed) slowed.nextSlot = now + this.#policy.slowIntervalMs;
    if (this.#keys.size > this.#maxKeys) this.#evict(now);
    return Promise.resolve({ ok: true, ticket: { keys, member } });
  }

  settle(ticket: SignInTicket, outcome: SignInOutcome): Promise<void> {
    if (outcome === 'failed') return Promise.resolve();
    for (const key of ticket.keys) {
      const state = this.#keys.get(key.name);
      if (!state) continue;
      if (outcome === 'succeeded' && key.kind === 'pair') state.attempts = [];
      else state.attempts = state.attempts.filter((a) => a.member !== ticket.member);
    }
    return Promise.resolve();
  }

  /** The state of `name` with attempts older than the window dropped (not inserted if absent). */
  #recent(name: string, now: number): KeyState {
    const state = this.#keys.get(name);
    if (!state) return { attempts: [], nextSlot: 0 };
    const cutoff = now - this.#policy.windowMs;
    state.attempts = state.attempts.filter((a) => a.at > cutoff);
    return state;
  }

  #touch(name: string): KeyState {
    const state = this.#keys.get(name) ?? { attempts: [], nextSlot: 0 };
    this.#keys.delete(name); // re-insert so Map order is least recently used first
    this.#keys.set(name, state);
    return state;
  }

  #evict(now: number): void {
    const cutoff = now - this.#policy.windowMs;
    for (const [name, state] of this.#keys) {
      if ((state.attempts.at(-1)?.at ?? 0) <= cutoff && state.nextSlot <= now) this.#keys.delete(name);
    }
    // Still full of live keys: forget the ones used longest ago.
    for (const name of this.#keys.keys()) {
      if (this.#keys.size <= this.#maxKeys) break;
      this.#keys.delete(name);
    }
  }
}
