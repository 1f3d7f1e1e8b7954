import type { CustomerEndpoint } from '@fernhilfe/client';
import { openCustomer, withTimeout, type CustomerTarget } from './client.js';
import type { ServerProcess } from './server-process.js';
import { BenchError } from './errors.js';

export interface IdleMemoryResult {
  customers: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  perCustomerKiB: number;
}

const BATCH = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Phase 4: the server's resident memory (VmRSS) after a settle, then with `customers` registered
 * customers held open and another settle; the difference per customer. No GC can be forced in the
 * child, so the figure includes whatever garbage the server had not collected yet.
 */
export async function measureIdleMemory(target: CustomerTarget, server: ServerProcess, customers: number, settleMs: number): Promise<IdleMemoryResult> {
  await sleep(settleMs);
  const rssBeforeKiB = server.rssKiB();
  const open: CustomerEndpoint[] = [];
  try {
    for (let i = 0; i < customers; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, customers - i) }, () => openCustomer(target));
      const settled = await Promise.allSettled(batch);
      for (const s of settled) if (s.status === 'fulfilled') open.push(s.value);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw new BenchError('result', `registering customer ${open.length + 1} of ${customers} failed: ${String(failed.reason)}`);
    }
    await sleep(settleMs);
    const rssAfterKiB = server.rssKiB();
    const stillOpen = open.filter((c) => !c.ended).length;
    if (stillOpen !== customers) throw new BenchError('result', `only ${stillOpen} of ${customers} customers were still registered when memory was read`);
    return { customers, rssBeforeKiB, rssAfterKiB, perCustomerKiB: (rssAfterKiB - rssBeforeKiB) / customers };
  } finally {
    await withTimeout(Promise.all(open.map((c) => (c.ended ? undefined : c.end()))), 10_000, 'ending the idle customers').catch(() => undefined);
  }
}
