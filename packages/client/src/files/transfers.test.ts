import { describe, expect, it } from 'vitest';
import type { LogicalChannel} from '@fernhilfe/protocol';
import { createSha256, type ControlMessage, type SessionReport } from '@fernhilfe/protocol';
import { FileTransferError } from '../errors.js';
import { DEFAULT_WINDOW_CHUNKS, FileTransfers } from './transfers.js';
import { MemorySink, bytesSource } from './memory.js';
import type { FilePolicy, TransferInfo } from './types.js';

/** Two managers joined by an in-order async pipe; `dropChunk(n)` loses the n-th chunk on the wire. */
function pair(opts: { policy?: FilePolicy; chunkSize?: number; dropChunk?: number } = {}) {
  const reports: { by: string; report: SessionReport }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let chunkNo = 0;
  const make = (role: 'customer' | 'technician', peer: () => FileTransfers) =>
    new FileTransfers({
      role,
      ...(opts.policy ? { policy: opts.policy } : {}),
      chunkSize: opts.chunkSize ?? 1024,
      port: {
        sendControl: async (m: ControlMessage) => void setTimeout(() => peer().handleControl(m), 0),
        sendData: async (c: LogicalChannel, b: Uint8Array) => {
          const n = chunkNo++;
          inFlight += b.length;
          maxInFlight = Math.max(maxInFlight, inFlight);
          setTimeout(() => {
            inFlight -= b.length;
            if (n !== opts.dropChunk) peer().handleData(c, b);
          }, 0);
        },
        report: (report) => void reports.push({ by: role, report }),
      },
    });
  const tech: FileTransfers = make('technician', () => cust);
  const cust: FileTransfers = make('customer', () => tech);
  return { tech, cust, reports, maxInFlight: () => maxInFlight };
}

const until = (t: FileTransfers, id: string, done: (i: TransferInfo) => boolean) =>
  new Promise<TransferInfo>((resolve) => {
    const off = t.on('update', (i) => i.transferId === id && done(i) && (off(), resolve(i)));
  });
const finished = (t: FileTransfers, id: string) => until(t, id, (i) => ['completed', 'refused', 'cancelled', 'failed'].includes(i.state));
const sha = (b: Uint8Array) => {
  const h = createSha256();
  h.update(b);
  return h.hex();
};
const data = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff);

describe('FileTransfers between two managers', () => {
  it('sends technician -> customer after consent, hash verified, within the window, audit reported once', async () => {
    const { tech, cust, reports, maxInFlight } = pair();
    const bytes = data(50_000);
    let delivered: Uint8Array[] = [];
    cust.on('offer', (o) => void cust.accept(o.transferId, new MemorySink((_n, c) => void (delivered = c))));
    const info = tech.send(bytesSource('../bericht.pdf', bytes));
    expect(info.name).toBe('bericht.pdf');
    const [a, b] = await Promise.all([finished(tech, info.transferId), finished(cust, info.transferId)]);
    expect(a.state).toBe('completed');
    expect(b.state).toBe('completed');
    expect(Buffer.concat(delivered).equals(Buffer.from(bytes))).toBe(true);
    expect(b.sha256).toBe(sha(bytes));
    expect(a.sentBytes).toBe(bytes.length);
    expect(maxInFlight()).toBeLessThanOrEqual(DEFAULT_WINDOW_CHUNKS * (1024 + 26));
    expect(reports.map((r) => `${r.by}:${r.report.event}`)).toEqual(['technician:file-offered', 'customer:file-accepted', 'customer:file-completed']);
  });

  it('sends customer -> technician, and an empty file', async () => {
    const { tech, cust } = pair();
    tech.on('offer', (o) => void tech.accept(o.transferId, new MemorySink()));
    const empty = cust.send(bytesSource('leer.txt', new Uint8Array(0)));
    expect((await finished(cust, empty.transferId)).state).toBe('completed');
    const full = cust.send(bytesSource('log.txt', data(3000)));
    expect((await finished(tech, full.transferId)).state).toBe('completed');
  });

  it('refused: the sender learns it, the sink is never opened', async () => {
    const { tech, cust, reports } = pair();
    const sink = new MemorySink();
    cust.on('offer', (o) => cust.refuse(o.transferId));
    const info = tech.send(bytesSource('a.bin', data(5000)));
    const t = await finished(tech, info.transferId);
    expect(t).toMatchObject({ state: 'refused', reason: 'refused', sentBytes: 0 });
    expect(sink.isCommitted).toBe(false);
    expect(reports.at(-1)?.report.event).toBe('file-refused');
  });

  it('cancel mid-way by the receiver: both end cancelled, nothing delivered', async () => {
    const { tech, cust } = pair({ chunkSize: 1024 });
    const sink = new MemorySink();
    cust.on('offer', (o) => void cust.accept(o.transferId, sink));
    const info = tech.send(bytesSource('big.bin', data(200_000)));
    await until(cust, info.transferId, (i) => i.transferred > 20_000);
    const ends = Promise.all([finished(tech, info.transferId), finished(cust, info.transferId)]);
    cust.cancel(info.transferId);
    const [a, b] = await ends;
    expect(a).toMatchObject({ state: 'cancelled', reason: 'cancelled-by-customer' });
    expect(b).toMatchObject({ state: 'cancelled', reason: 'cancelled-by-customer' });
    expect(sink.isCommitted).toBe(false);
    expect(a.sentBytes).toBeLessThan(200_000);
  });

  it('a lost chunk: the receiver asks to resume from its last offset, the file still verifies', async () => {
    const { tech, cust } = pair({ dropChunk: 10 });
    let delivered: Uint8Array[] = [];
    cust.on('offer', (o) => void cust.accept(o.transferId, new MemorySink((_n, c) => void (delivered = c))));
    const bytes = data(40_000);
    const info = tech.send(bytesSource('x.bin', bytes));
    const [a] = await Promise.all([finished(tech, info.transferId), finished(cust, info.transferId)]);
    expect(a.state).toBe('completed');
    expect(Buffer.concat(delivered).equals(Buffer.from(bytes))).toBe(true);
    // again from the gap: at most the chunks that were in flight behind it (the window), never more
    expect(a.sentBytes - bytes.length).toBeGreaterThan(0);
    expect(a.sentBytes - bytes.length).toBeLessThanOrEqual(DEFAULT_WINDOW_CHUNKS * 1024);
  });

  it('enforces the policy on both ends: size and direction', async () => {
    const { tech } = pair({ policy: { maxBytes: 1000, directions: ['to-customer'] } });
    expect(() => tech.send(bytesSource('a', data(1001)))).toThrow(FileTransferError);
    const small = pair({ policy: { maxBytes: 1000, directions: ['to-customer'] } });
    expect(() => small.cust.send(bytesSource('a', data(10)))).toThrow(/not allowed/);
    // a sender that ignores the policy is refused by the receiver
    const lax = pair();
    lax.cust.setPolicy({ maxBytes: 100, directions: ['to-customer'] });
    const info = lax.tech.send(bytesSource('a', data(500)));
    expect(await finished(lax.tech, info.transferId)).toMatchObject({ state: 'refused', reason: 'too-large' });
    expect(lax.reports.at(-1)?.report).toMatchObject({ event: 'file-failed', reason: 'too-large' });
  });
});
