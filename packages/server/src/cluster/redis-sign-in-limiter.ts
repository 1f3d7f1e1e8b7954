import { isIP } from 'node:net';
import type { Redis } from 'ioredis';
import type { Admission, SignInAttempt, SignInLimiter, SignInOutcome, SignInTicket } from '../auth/rate-limit.js';
import { signInKeysFor, SIGN_IN_POLICY, type SignInKey, type SignInPolicy } from '../auth/sign-in-policy.js';
import { keys } from './keys.js';

/**
 * KEYS: n sorted sets of attempt times, then the slot key of the soft one (if any).
 * ARGV: now, window, member, slow interval, then per sorted set: max, soft (1/0).
 * Returns 0 when the attempt was counted, else the ms until one may start. One script, so atomic.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local n = (#ARGV - 4) / 2
local wait = 0
local slot = nil
for i = 1, n do
  local key = KEYS[i]
  local max = tonumber(ARGV[3 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%d', now - window))
  local count = redis.call('ZCARD', key)
  if count >= max then
    if ARGV[4 + 2 * i] == '1' then
      local nextSlot = tonumber(redis.call('GET', KEYS[n + 1]) or '0')
      if now < nextSlot then wait = math.max(wait, nextSlot - now) else slot = KEYS[n + 1] end
    else
      local oldest = redis.call('ZRANGE', key, count - max, count - max, 'WITHSCORES')
      wait = math.max(wait, tonumber(oldest[2]) + window - now)
    end
  end
end
if wait > 0 then return wait end
for i = 1, n do
  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[3])
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(tonumber(ARGV[3 + 2 * i]) + 1))
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
if slot then redis.call('SET', slot, string.format('%d', now + tonumber(ARGV[4])), 'PX', ARGV[4]) end
return 0`;

export interface RedisSignInLimiterOptions {
  policy?: Partial<SignInPolicy>;
  now?: () => number;
}

/**
 * The sign-in limiter of auth/rate-limit.ts kept in Redis, so that all nodes count the same
 * attempts: spreading guesses over several nodes gains nothing. Same policy and sliding window as
 * the in-memory FailureLimiter: a sorted set of attempt times per key (at most its limit), one
 * atomic script that checks every key and counts the attempt in all of them, expiring by itself
 * after the window.
 *
 * Key names hold only a login name or an IP address, never a password: text typed into the login
 * field that cannot be a login gets no login keys (auth/sign-in-policy.ts). An `ip:` value that is
 * not an address (only a misconfigured proxy could forward one) is counted under one shared key.
 */
export class RedisSignInLimiter implements SignInLimiter {
  readonly #policy: SignInPolicy;
  readonly #now: () => number;

  constructor(
    private readonly redis: Redis,
    opts: RedisSignInLimiterOptions = {},
  ) {
    this.#policy = { ...SIGN_IN_POLICY, ...opts.policy };
    this.#now = opts.now ?? Date.now;
  }

  async admit(attempt: SignInAttempt): Promise<Admission> {
    const ip = isIP(attempt.ip) !== 0 ? attempt.ip : '(not an address)';
    const counted = signInKeysFor({ login: attempt.login, ip }, this.#policy);
    const now = this.#now();
    const member = `${now}:${Math.random().toString(36).slice(2)}`;
    const redisKeys = counted.map(redisKeyOf);
    const soft = counted.find((k) => k.soft);
    if (soft) redisKeys.push(keys.signInSlot(soft.name.slice('login:'.length)));
    const args = counted.flatMap((k) => [k.max, k.soft ? 1 : 0]);
    const waitMs = Number(await this.redis.eval(ADMIT, redisKeys.length, ...redisKeys, now, this.#policy.windowMs, member, this.#policy.slowIntervalMs, ...args));
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    return { ok: true, ticket: { keys: counted, member } };
  }

  async settle(ticket: SignInTicket, outcome: SignInOutcome): Promise<void> {
    if (outcome === 'failed') return;
    const multi = this.redis.multi();
    for (const key of ticket.keys) {
      if (outcome === 'succeeded' && key.kind === 'pair') multi.del(redisKeyOf(key));
      else multi.zrem(redisKeyOf(key), ticket.member);
    }
    await multi.exec();
  }
}

/** `pair:<login>|<ip>`, `ip:<ip>`, `login:<login>` -> `fernhilfe:signin:…` */
function redisKeyOf(key: SignInKey): string {
  const value = key.name.slice(key.name.indexOf(':') + 1);
  if (key.kind === 'pair') {
    const bar = value.indexOf('|');
    return keys.signInPair(value.slice(0, bar), value.slice(bar + 1));
  }
  return key.kind === 'login' ? keys.signInLogin(value) : keys.signInIp(value);
}
