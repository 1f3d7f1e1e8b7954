import { isIPv4, isIPv6 } from 'node:net';

/**
 * Who may open a WebSocket at all (docs/security.md, "Unauthenticated connections"): the network an
 * address belongs to, and the Origin allow-list.
 */

/**
 * The key limits count by: an IPv4 address itself (also when written IPv4-mapped, `::ffff:1.2.3.4`),
 * an IPv6 address by its /64, the block one household or one server gets, so that rotating through
 * the 2^64 addresses of a /64 does not multiply the limits.
 */
export function networkKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function expandIPv6(ip: string): string[] {
  const plain = ip.split('%')[0]!;
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g || '0', 16).toString(16));
}

/**
 * A browser always sends `Origin` on a WebSocket; the native program (Node `ws`) sends none. Allowed:
 * no Origin, the origin of PUBLIC_URL, or an origin naming the host the request was sent to (the
 * operator's own pages, under http or https, so a TLS proxy in front changes nothing). Any other web
 * page is refused, so it cannot make its visitors' browsers open customer connections.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string | undefined): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (publicUrl !== undefined && parsed.origin === new URL(publicUrl).origin) return true;
  return host !== undefined && parsed.host.toLowerCase() === host.toLowerCase();
}

/** Counts open connections per key (networkKey) and in all. */
export class ConnectionCounts {
  private readonly byKey = new Map<string, number>();
  private totalCount = 0;

  get total(): number {
    return this.totalCount;
  }

  of(key: string): number {
    return this.byKey.get(key) ?? 0;
  }

  add(key: string): () => void {
    this.byKey.set(key, this.of(key) + 1);
    this.totalCount++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.totalCount--;
      const n = this.of(key) - 1;
      if (n <= 0) this.byKey.delete(key);
      else this.byKey.set(key, n);
    };
  }
}
