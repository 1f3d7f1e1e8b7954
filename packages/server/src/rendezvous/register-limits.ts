import { isIPv6 } from 'node:net';
import { networkKey } from '../relay/admission.js';

export interface RegisterLimitOptions {
  /** registrations per window from one address */
  perAddress: number;
  /** registrations per window from one IPv6 /64 in all (default: four times perAddress) */
  perNetwork?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * How often one address may register a customer ID (each registration writes a session row, a receipt
 * token and audit entries). Counted per address and, for IPv6, per /64 too, over a sliding window.
 * The attempt is counted when it is checked, so a burst cannot slip past in between. Per node: with
 * several nodes an address gets the limit on each.
 */
export class RegisterLimits {
  private readonly byKey = new Map<string, number[]>();
  private readonly perNetwork: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: RegisterLimitOptions) {
    this.perNetwork = opts.perNetwork ?? opts.perAddress * 4;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Counts a registration from `ip`; returns 0 when it may go ahead, else the ms until one may. */
  take(ip: string): number {
    const now = this.now();
    const keys: [string, number][] = [[`a:${ip}`, this.opts.perAddress]];
    const net = networkKey(ip);
    if (isIPv6(ip) && net !== ip) keys.push([`n:${net}`, this.perNetwork]);
    const wait = Math.max(0, ...keys.map(([key, limit]) => this.wait(key, limit, now)));
    if (wait > 0) return wait;
    for (const [key] of keys) this.recent(key, now).push(now);
    return 0;
  }

  /** Drops windows that no longer limit anything; called periodically. */
  sweep(): void {
    const now = this.now();
    for (const key of [...this.byKey.keys()]) if (this.recent(key, now).length === 0) this.byKey.delete(key);
  }

  private wait(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    return times.length < limit ? 0 : times[times.length - limit]! + this.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.byKey.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.byKey.set(key, times);
    return times;
  }
}
