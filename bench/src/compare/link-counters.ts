import type { LinkCounters } from './net/index.js';

/** What the bench reports of the link emulator's counters, per direction. */
export interface DirectionTally {
  packets: number;
  bytes: number;
  lossDrops: number;
  queueDrops: number;
}
export interface LinkTally {
  up: DirectionTally;
  down: DirectionTally;
}

const diff = (a: DirectionTally, b: DirectionTally): DirectionTally => ({
  packets: a.packets - b.packets,
  bytes: a.bytes - b.bytes,
  lossDrops: a.lossDrops - b.lossDrops,
  queueDrops: a.queueDrops - b.queueDrops,
});
const neg = (a: DirectionTally): DirectionTally => diff({ packets: 0, bytes: 0, lossDrops: 0, queueDrops: 0 }, a);

/** The counters between two readings. */
export const tallyBetween = (before: LinkCounters, after: LinkCounters): LinkTally => ({ up: diff(after.up, before.up), down: diff(after.down, before.down) });

export const addTally = (sum: LinkTally | undefined, more: LinkTally): LinkTally =>
  sum ? { up: diff(sum.up, neg(more.up)), down: diff(sum.down, neg(more.down)) } : more;

/** "customer's upload 12345 packets, 18.2 MB, lost 12 (0.1 %), queue-dropped 3 (0.0 %); download …" */
export function showTally(c: LinkTally): string {
  const one = (name: string, d: DirectionTally) => {
    const pct = (n: number) => (d.packets > 0 ? `${((n / d.packets) * 100).toFixed(1)} %` : 'n/a');
    return `${name} ${d.packets} packets, ${(d.bytes / 1e6).toFixed(1)} MB, lost ${d.lossDrops} (${pct(d.lossDrops)}), queue-dropped ${d.queueDrops} (${pct(d.queueDrops)})`;
  };
  return `${one("customer's upload", c.up)}; ${one('download', c.down)}`;
}
