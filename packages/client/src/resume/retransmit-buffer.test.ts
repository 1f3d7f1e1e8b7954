import { describe, expect, it } from 'vitest';
import { RetransmitBuffer } from './outbound.js';

const frame = (n: number, size = 10) => new Uint8Array(size).fill(n);

describe('RetransmitBuffer', () => {
  it('keeps frames in order until released, and hands out exactly the ones from a sequence number on', () => {
    const b = new RetransmitBuffer(1000);
    for (let i = 0; i < 5; i++) b.push(BigInt(i), frame(i));
    expect(b.size).toBe(5);
    expect(b.bytes).toBe(50);
    b.release(2n);
    expect(b.acknowledged).toBe(2n);
    expect(b.from(3n).map((f) => f[0])).toEqual([3, 4]);
    expect(b.from(5n)).toEqual([]);
    expect(() => b.from(1n)).toThrow(RangeError);
    expect(() => b.release(6n)).toThrow(RangeError);
    expect(() => b.push(7n, frame(7))).toThrow(RangeError);
    b.push(5n, frame(5));
    expect(b.end).toBe(6n);
  });

  it('senders wait while it is full and go on once the peer acknowledged', async () => {
    const b = new RetransmitBuffer(30);
    for (let i = 0; i < 3; i++) b.push(BigInt(i), frame(i));
    expect(b.full).toBe(true);
    let roomy = false;
    const room = b.room().then(() => (roomy = true));
    await Promise.resolve();
    expect(roomy).toBe(false);
    b.release(1n);
    await room;
    expect(roomy).toBe(true);
  });

  it('stays compact over many frames', () => {
    const b = new RetransmitBuffer();
    for (let i = 0; i < 10_000; i++) {
      b.push(BigInt(i), frame(i & 0xff, 1));
      if (i % 7 === 0) b.release(BigInt(i - 3 > 0 ? i - 3 : 0));
    }
    b.release(10_000n);
    expect(b.size).toBe(0);
    expect(b.bytes).toBe(0);
  });
});
