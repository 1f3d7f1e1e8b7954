import { describe, expect, it } from 'vitest';
import { createSha256, newTransferId } from '../files/hash.js';
import { decodeFileChunk, encodeFileChunk } from './file-chunk.js';
import { controlMessageSchema } from '../messages/control.js';

describe('file chunk codec', () => {
  it('round-trips id, offset and bytes', () => {
    const transferId = newTransferId();
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const offset = 2 ** 40 + 7;
    const r = decodeFileChunk(encodeFileChunk({ transferId, offset, bytes }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.transferId).toBe(transferId);
    expect(r.value.offset).toBe(offset);
    expect([...r.value.bytes]).toEqual([...bytes]);
  });

  it('returns an error for every malformed input and never throws', () => {
    const good = encodeFileChunk({ transferId: 'ab'.repeat(16), offset: 5, bytes: Uint8Array.of(1, 2, 3) });
    const cases: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(2, 16), good.subarray(0, 2 + 16 + 8), Uint8Array.of(1, 7, ...new Uint8Array(20))];
    const huge = good.slice();
    huge[2 + 16] = 0xff; // offset above 2^53
    cases.push(huge);
    for (let i = 0; i < 2000; i++) cases.push(crypto.getRandomValues(new Uint8Array(i % 64)));
    for (const c of cases.slice(0, 6)) expect(decodeFileChunk(c).ok).toBe(false);
    for (const c of cases) expect(() => decodeFileChunk(c)).not.toThrow();
  });
});

describe('file messages and hash', () => {
  it('parses the file control messages and refuses unknown keys', () => {
    const transferId = newTransferId();
    expect(controlMessageSchema.safeParse({ type: 'file-offer', transferId, name: 'a.txt', size: 3, from: 'technician' }).success).toBe(true);
    expect(controlMessageSchema.safeParse({ type: 'file-ack', transferId, offset: 10 }).success).toBe(true);
    expect(controlMessageSchema.safeParse({ type: 'file-ack', transferId, offset: -1 }).success).toBe(false);
    expect(controlMessageSchema.safeParse({ type: 'file-accept', transferId, extra: 1 }).success).toBe(false);
    expect(controlMessageSchema.safeParse({ type: 'file-cancel', transferId: 'xyz', reason: 'cancelled' }).success).toBe(false);
  });

  it('hashes incrementally like in one piece', () => {
    const h = createSha256();
    h.update(new TextEncoder().encode('ab'));
    h.update(new TextEncoder().encode('c'));
    expect(h.hex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
