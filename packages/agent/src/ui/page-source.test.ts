import { describe, expect, it } from 'vitest';
import { encodePageRead, type ToPage } from '@fernhilfe/protocol';
import { PageReads } from './page-source.js';

type Read = Extract<ToPage, { type: 'file-read' }>;

/** A page that answers each read with bytes `offset + i` (mod 256), or not at all. */
function page() {
  const asked: Read[] = [];
  const reads = new PageReads((m) => void (m.type === 'file-read' && asked.push(m)), 200);
  const answer = (r: Read, length = r.length) => reads.handleBinary(encodePageRead(r.read, Uint8Array.from({ length }, (_, i) => (r.offset + i) & 255)));
  return { reads, asked, answer };
}

describe('PageReads: a file the page holds, read chunk by chunk over the local socket', () => {
  it('reads exactly the asked piece, one read ahead, and the read ahead serves the next chunk', async () => {
    const { reads, asked, answer } = page();
    const src = reads.source(7, 'a.bin', 2500, 'application/octet-stream');
    const first = src.readChunk(0, 1000);
    expect(asked.map((r) => [r.source, r.offset, r.length])).toEqual([[7, 0, 1000], [7, 1000, 1000]]);
    expect(answer(asked[0]!)).toBe(true);
    expect(Array.from((await first).subarray(0, 3))).toEqual([0, 1, 2]);
    const second = src.readChunk(1000, 1000);
    expect(asked.length, 'the second chunk was already asked for; only the third is new').toBe(3);
    expect(asked[2]).toMatchObject({ offset: 2000, length: 500 });
    expect(answer(asked[1]!)).toBe(true);
    expect((await second)[0]).toBe(1000 & 255);
  });

  it('refuses an answer nobody asked for, a repeated one, and one of the wrong length', async () => {
    const { reads, asked, answer } = page();
    expect(reads.handleBinary(encodePageRead(99, new Uint8Array(10)))).toBe(false);
    expect(reads.handleBinary(new Uint8Array(2))).toBe(false);
    const src = reads.source(1, 'b.bin', 100);
    const chunk = src.readChunk(0, 100);
    expect(answer(asked[0]!, 99)).toBe(false);
    await expect(chunk).rejects.toThrow(/wrong length/);
    expect(answer(asked[0]!)).toBe(false); // already settled
  });

  it('fails open reads when the page goes, and reads that are never answered after the timeout', async () => {
    const { reads } = page();
    const src = reads.source(1, 'c.bin', 10_000);
    const pending = src.readChunk(0, 100);
    reads.close();
    await expect(pending).rejects.toThrow(/gone/);
    await expect(src.readChunk(100, 100)).rejects.toThrow(/gone/);
    const other = page();
    await expect(other.reads.source(2, 'd.bin', 10).readChunk(0, 10)).rejects.toThrow(/did not answer/);
  });
});
