import { describe, expect, it } from 'vitest';
import { ChannelSealer, deriveSessionSecrets, type ProtocolError } from '@fernhilfe/protocol';
import { Outbound } from './outbound.js';
import { PathSync } from './path-sync.js';

async function setup() {
  const secrets = deriveSessionSecrets(new Uint8Array(64).fill(1), new Uint8Array(16).fill(2));
  const sealer = await ChannelSealer.create(secrets.t2c, secrets.channelId, 't2c');
  const wire = { sent: [] as Uint8Array[], bufferedAmount: 0, sendPeer: (b: Uint8Array) => void wire.sent.push(b) };
  const out = new Outbound(sealer, wire);
  const events = { syncs: [] as number[], resumed: 0, failures: [] as ProtocolError[] };
  let settle: () => void = () => undefined;
  let settled: Promise<void> = Promise.resolve();
  const sync = new PathSync({
    out,
    sendSync: (path) => void events.syncs.push(path),
    settled: () => settled,
    onResumed: () => void events.resumed++,
    fail: (err) => void events.failures.push(err),
  });
  const holdOpens = () => (settled = new Promise((r) => (settle = r)));
  const seqs = () => wire.sent.map((b) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(1)));
  const send = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => out.send(Uint8Array.of(5, i))));
  return { out, wire, sync, events, seqs, send, holdOpens, release: () => settle() };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PathSync with the outbound buffer', () => {
  it('holds frames while the path is down, then resends exactly from what the peer opened, the same bytes', async () => {
    const t = await setup();
    await t.send(3);
    expect(t.seqs()).toEqual([0, 1, 2]);
    t.sync.ack(1n);
    t.sync.down();
    await t.send(2); // 3 and 4: kept, not sent
    expect(t.seqs()).toEqual([0, 1, 2]);
    expect(t.out.buffer.size).toBe(4);
    const firstTwo = t.wire.sent.slice(2, 3);
    t.sync.up(1);
    expect(t.sync.discardsSealed).toBe(true);
    await tick();
    expect(t.events.syncs).toEqual([1]);
    t.sync.peerSync(1, 2n); // the peer opened 0 and 1: frame 2 was lost in the drop
    expect(t.seqs()).toEqual([0, 1, 2, 2, 3, 4]);
    expect(Buffer.from(t.wire.sent[3]!).equals(Buffer.from(firstTwo[0]!))).toBe(true);
    expect(t.sync.isUp).toBe(true);
    expect(t.events.resumed).toBe(1);
    await t.send(1);
    expect(t.seqs().at(-1)).toBe(5);
    expect(t.events.failures).toEqual([]);
  });

  it("never resends before its own SYNC is out (the peer's may come first), and ignores SYNCs of other paths", async () => {
    const t = await setup();
    await t.send(2);
    t.sync.down();
    t.holdOpens(); // frames that arrived are still being opened
    t.sync.up(4);
    t.sync.peerSync(3, 0n); // stale path
    t.sync.peerSync(4, 1n);
    await tick();
    expect(t.events.syncs).toEqual([]);
    expect(t.seqs()).toEqual([0, 1]);
    t.release();
    await tick();
    expect(t.events.syncs).toEqual([4]);
    expect(t.seqs()).toEqual([0, 1, 1]);
    expect(t.events.resumed).toBe(1);
  });

  it('a lower ACK is a replay while up, ignored while syncing; an ACK beyond what was sent is a protocol error', async () => {
    const t = await setup();
    await t.send(3);
    t.sync.ack(2n);
    t.sync.up(1);
    t.sync.ack(1n); // stale, from before the peer knew
    expect(t.events.failures).toEqual([]);
    await tick();
    t.sync.peerSync(1, 2n);
    t.sync.ack(1n);
    expect(t.events.failures.map((e) => e.reason)).toEqual(['replayed']);
    t.sync.ack(9n);
    expect(t.events.failures.map((e) => e.reason)).toEqual(['replayed', 'protocol-error']);
  });
});
