import { isIP } from 'node:net';
import type { Redis } from 'ioredis';
import { LOGIN_PATTERN } from '../auth/accounts.js';
import { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS, type SignInLimiter } from '../auth/rate-limit.js';
import { keys } from './keys.js';

/** KEYS: the key. ARGV: now, window, max failures, member. */
const RECORD_FAILURE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - tonumber(ARGV[2])))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** KEYS: the key. ARGV: now, window, max failures. Returns the ms until the next attempt is allowed, -1 when it is now. */
const RETRY_AFTER = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local times = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. string.format('%d', now - window), '+inf', 'WITHSCORES')
local n = #times / 2
if n < max then return -1 end
return tonumber(times[2 * (n - max + 1)]) + window - now`;

export interface RedisSignInLimiterOptions {
  /** Default 10 (like the in-memory FailureLimiter). */
  maxFailures?: number;
  /** Default 15 minutes. */
  windowMs?: number;
  now?: () => number;
}

/**
 * The sign-in failure limiter of auth/rate-limit.ts kept in Redis, so that all nodes count the same
 * failures: spreading password guesses over several nodes gains nothing. Same sliding window as the
 * in-memory FailureLimiter: a sorted set of failure times per key (at most `maxFailures` entries),
 * one atomic script per operation, expiring by itself after the window.
 *
 * Key names hold only a login name or an IP address, never a password: people type their password
 * into the login field, so a `login:` key whose name cannot be a login (LOGIN_PATTERN) is not kept.
 * Such a sign-in cannot succeed anyway (there is no such account); its `ip:` key still counts. An
 * `ip:` value that is not an address (only a misconfigured proxy could forward one) is counted under
 * one shared key instead of its text.
 */
export class RedisSignInLimiter implements SignInLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(
    private readonly redis: Redis,
    opts: RedisSignInLimiterOptions = {},
  ) {
    this.#maxFailures = opts.maxFailures ?? SIGN_IN_MAX_FAILURES;
    this.#windowMs = opts.windowMs ?? SIGN_IN_WINDOW_MS;
    this.#now = opts.now ?? Date.now;
  }

  async retryAfterSeconds(key: string): Promise<number> {
    const redisKey = signInKey(key);
    if (redisKey === undefined) return 0;
    const waitMs = Number(await this.redis.eval(RETRY_AFTER, 1, redisKey, this.#now(), this.#windowMs, this.#maxFailures));
    return waitMs < 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
  }

  async recordFailure(key: string): Promise<void> {
    const redisKey = signInKey(key);
    if (redisKey === undefined) return;
    const now = this.#now();
    const member = `${now}:${Math.random().toString(36).slice(2)}`;
    await this.redis.eval(RECORD_FAILURE, 1, redisKey, now, this.#windowMs, this.#maxFailures, member);
  }

  async reset(key: string): Promise<void> {
    const redisKey = signInKey(key);
    if (redisKey !== undefined) await this.redis.del(redisKey);
  }
}

/**
 * `login:<name>` -> `fernhilfe:signin:login:<name>`, `ip:<address>` -> `fernhilfe:signin:ip:<address>`;
 * undefined for a login that cannot be one (not counted, see the class comment).
 */
export function signInKey(key: string): string | undefined {
  const colon = key.indexOf(':');
  const kind = colon < 0 ? '' : key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (kind === 'login') return LOGIN_PATTERN.test(value) ? keys.signInLogin(value) : undefined;
  if (kind === 'ip') return keys.signInIp(isIP(value) !== 0 ? value : '(not an address)');
  // only the kind, never the value: a programming error must not put a typed password into a log
  throw new Error(`a sign-in limiter key is login:… or ip:…, not "${kind.slice(0, 16)}:…"`);
}
