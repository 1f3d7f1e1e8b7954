import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '@fernhilfe/client';
import { nodeFileSource } from '@fernhilfe/agent';
import { sha256File, writePrngFile } from '../../packages/cli/src/bench/files/prng.js';
import { LogicalChannel, createSha256, encodeFileChunk, newTransferId } from '@fernhilfe/protocol';
import { entries, fileSession, isEnd, reportsSent, whenTransfer } from './support.js';

describe('consent, cancel and names through the real server into the agent folder', () => {
  it('the customer accepts: the file lands under its name, hashes equal, the audit trail gets offered/accepted/completed', async () => {
    await using s = await fileSession();
    const src = path.join(s.work, 'Bericht März.pdf');
    await writePrngFile(src, 3_000_000, 'accept');
    const offer = s.feature.once('offer');
    const sent = s.tech.send(await nodeFileSource(src));
    const o = await offer;
    expect(o).toMatchObject({ name: 'Bericht März.pdf', size: 3_000_000, direction: 'to-customer', state: 'offered' });
    expect(entries(s.folder)).toEqual([]); // nothing before consent
    const done = whenTransfer(s.feature, (i) => isEnd(i));
    await s.feature.accept(o.transferId);
    const info = await done;
    expect(info.state).toBe('completed');
    expect(entries(s.folder)).toEqual(['Bericht März.pdf']);
    expect(await sha256File(path.join(s.folder, 'Bericht März.pdf'))).toBe(await sha256File(src));
    const bothReports = () => [...reportsSent(s.proxy, 'technician'), ...reportsSent(s.proxy, 'customer')];
    await expect.poll(() => bothReports().map((r) => r.event), { timeout: 5000 }).toEqual(['file-offered', 'file-accepted', 'file-completed']);
    const reports = bothReports();
    expect(reports[2]).toMatchObject({ transferId: sent.transferId, direction: 'to-customer', name: 'Bericht März.pdf', size: 3_000_000, sha256: info.sha256 });
  });

  it('the customer refuses: nothing is written, the technician sees "refused"', async () => {
    await using s = await fileSession();
    s.feature.on('offer', (o) => s.feature.refuse(o.transferId));
    const info = s.tech.send(bytesSource('setup.exe', new Uint8Array(100_000).fill(7)));
    const end = await whenTransfer(s.tech, (i) => i.transferId === info.transferId && isEnd(i));
    expect(end).toMatchObject({ state: 'refused', reason: 'refused', sentBytes: 0 });
    await expect.poll(() => reportsSent(s.proxy, 'customer').map((r) => r.event), { timeout: 5000 }).toEqual(['file-refused']);
    expect(entries(s.folder)).toEqual([]);
  });

  for (const who of ['technician', 'customer'] as const) {
    it(`the ${who} cancels mid-way: no partial file is left, both sides say who cancelled`, async () => {
      await using s = await fileSession({ chunkSize: 64 * 1024 });
      const src = path.join(s.work, 'big.bin');
      await writePrngFile(src, 64 * 1024 * 1024, 'cancel');
      s.feature.on('offer', (o) => void s.feature.accept(o.transferId));
      const info = s.tech.send(await nodeFileSource(src));
      await whenTransfer(s.feature, (i) => i.transferred > 8 * 1024 * 1024);
      expect(entries(s.folder).some((n) => n.endsWith('.fernhilfe-part'))).toBe(true); // it was writing
      const ends = Promise.all([whenTransfer(s.tech, isEnd), whenTransfer(s.feature, isEnd)]);
      if (who === 'technician') s.tech.cancel(info.transferId);
      else s.feature.cancel(info.transferId);
      const [t, c] = await ends;
      expect(t).toMatchObject({ state: 'cancelled', reason: `cancelled-by-${who}` });
      expect(c).toMatchObject({ state: 'cancelled', reason: `cancelled-by-${who}` });
      expect(t.transferred).toBeLessThan(64 * 1024 * 1024);
      await expect.poll(() => entries(s.folder), { timeout: 5000 }).toEqual([]);
      await expect.poll(() => reportsSent(s.proxy, 'customer').at(-1), { timeout: 5000 }).toMatchObject({ event: 'file-failed', reason: `cancelled-by-${who}` });
    });
  }

  const hostile: [string, string][] = [
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\x', 'x'],
    ['CON', '_CON'],
    ['a\u0000b', 'a_b'],
    ['n'.repeat(300), 'n'.repeat(255)],
    ['.', 'file'],
    ['', 'file'],
  ];
  for (const [raw, safe] of hostile) {
    it(`a hostile name ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 10)}…(${raw.length})` : raw)} becomes ${JSON.stringify(safe.length > 40 ? `${safe.slice(0, 10)}…(${safe.length})` : safe)} inside the folder`, async () => {
      await using s = await fileSession();
      const outside = entries(s.work);
      s.feature.on('offer', (o) => void s.feature.accept(o.transferId));
      const ends: string[] = [];
      const both = new Promise<void>((resolve) => s.feature.on('update', (i) => i.state === 'completed' && ends.push(i.name) === 2 && resolve()));
      // 1. through the technician's manager (it cleans the name before sending, the customer again)
      s.tech.send(bytesSource(raw, new TextEncoder().encode('payload')));
      await whenTransfer(s.feature, (i) => i.state === 'completed');
      // 2. a hostile technician that sends the raw name and the chunks by hand
      const transferId = newTransferId();
      const bytes = new TextEncoder().encode('hostile');
      await s.techSession.sendControl({ type: 'file-offer', transferId, name: raw, size: bytes.length, from: 'technician' });
      await whenTransfer(s.feature, (i) => i.transferId === transferId && i.state === 'receiving');
      await s.techSession.sendData(LogicalChannel.files, encodeFileChunk({ transferId, offset: 0, bytes }));
      const h = createSha256();
      h.update(bytes);
      await s.techSession.sendControl({ type: 'file-complete', transferId, sha256: h.hex() });
      await both;
      const second = safe.length > 250 ? `${safe.slice(0, 255 - 4)} (2)` : `${safe} (2)`;
      expect(entries(s.folder)).toEqual([safe, second].sort());
      expect(ends.sort()).toEqual([safe, second].sort());
      expect(entries(s.work)).toEqual(outside); // nothing appeared next to the folder
    });
  }

  it('never overwrites: an existing file and a name that differs only in case get "(2)", "(3)"', async () => {
    await using s = await fileSession();
    writeFileSync(path.join(s.folder, 'Bericht.pdf'), 'the customer’s own file');
    s.feature.on('offer', (o) => void s.feature.accept(o.transferId));
    const names: string[] = [];
    const two = new Promise<void>((resolve) => s.feature.on('update', (i) => i.state === 'completed' && names.push(i.name) === 2 && resolve()));
    s.tech.send(bytesSource('bericht.PDF', new Uint8Array(10)));
    await whenTransfer(s.feature, (i) => i.state === 'completed');
    s.tech.send(bytesSource('BERICHT.pdf', new Uint8Array(20)));
    await two;
    expect(names).toEqual(['bericht (2).PDF', 'BERICHT (3).pdf']);
    expect(entries(s.folder)).toEqual(['BERICHT (3).pdf', 'Bericht.pdf', 'bericht (2).PDF']);
  });
});
