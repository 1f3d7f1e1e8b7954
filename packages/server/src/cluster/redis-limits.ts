import type { Redis } from 'ioredis';
import { withLimitDefaults, type ConnectLimiter, type LimitOptions } from '../rendezvous/limits.js';
import { keys } from './keys.js';

/** KEYS: target, account, ip. ARGV: now, base, max, window, member. */
const RECORD_FAILURE = `
local now = tonumber(ARGV[1])
local f = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local delay = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (f - 1))
redis.call('HSET', KEYS[1], 'until', string.format('%d', now + delay))
redis.call('PEXPIRE', KEYS[1], string.format('%d', delay + tonumber(ARGV[3])))
for i = 2, 3 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%d', now - tonumber(ARGV[4])))
  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
end
return 1`;

/** KEYS: target, account, ip. ARGV: now, window, account limit, ip limit. Returns ms to wait. */
const RETRY_AFTER = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wait = 0
local u = redis.call('HGET', KEYS[1], 'until')
if u then wait = math.max(wait, tonumber(u) - now) end
for i = 2, 3 do
  local limit = tonumber(ARGV[i + 1])
  local times = redis.call('ZRANGEBYSCORE', KEYS[i], '(' .. string.format('%d', now - window), '+inf', 'WITHSCORES')
  local n = #times / 2
  if n >= limit then
    wait = math.max(wait, tonumber(times[2 * (n - limit + 1)]) + window - now)
  end
end
return math.floor(math.max(0, wait))`;

/**
 * The brute-force limits of docs/protocol.md §6 kept in Redis, so that all nodes count the same
 * failures: a technician cannot get more guesses by reaching different nodes. Same rules as the
 * in-memory ConnectLimits; entries expire by themselves (TTL), so `sweep` has nothing to do.
 */
export class RedisConnectLimits implements ConnectLimiter {
  private readonly limits: Required<LimitOptions>;

  constructor(
    private readonly redis: Redis,
    opts: LimitOptions,
  ) {
    this.limits = withLimitDefaults(opts);
  }

  async retryAfter(target: string, account: string, ip: string): Promise<number> {
    const { now, windowMs, accountFailures, ipFailures } = this.limits;
    const wait = await this.redis.eval(RETRY_AFTER, 3, ...this.keys(target, account, ip), now(), windowMs, accountFailures, ipFailures);
    return Number(wait);
  }

  async recordFailure(target: string, account: string, ip: string): Promise<void> {
    const { now, backoffBaseMs, backoffMaxMs, windowMs } = this.limits;
    const member = `${now()}:${Math.random().toString(36).slice(2)}`;
    await this.redis.eval(RECORD_FAILURE, 3, ...this.keys(target, account, ip), now(), backoffBaseMs, backoffMaxMs, windowMs, member);
  }

  async recordSuccess(target: string): Promise<void> {
    await this.redis.del(keys.limitTarget(target));
  }

  sweep(): void {}

  private keys(target: string, account: string, ip: string): [string, string, string] {
    return [keys.limitTarget(target), keys.limitAccount(account), keys.limitIp(ip)];
  }
}
