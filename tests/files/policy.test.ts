import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTransferError, bytesSource } from '@fernhilfe/client';
import { newTransferId, type ControlMessage } from '@fernhilfe/protocol';
import { filesDe as consoleDe, filesEn as consoleEn } from '../../apps/console/src/files/texts.js';
import { filesEn as pageEn } from '../../apps/quicksupport/src/files/texts.js';
import { entries, fileSession, isEnd, reportsSent, whenTransfer } from './support.js';

/** The file-refuse the other side's manager sent back for a forged offer. */
function refusalFor(session: { on(e: 'control', fn: (m: ControlMessage) => void): () => void }, transferId: string): Promise<ControlMessage> {
  return new Promise((resolve) => {
    const off = session.on('control', (m) => {
      if (m.type === 'file-refuse' && m.transferId === transferId) {
        off();
        resolve(m);
      }
    });
  });
}

describe("the operator's file policy (FILES_MAX_BYTES, FILES_DIRECTIONS) from the real server", () => {
  const env = { FILES_DIRECTIONS: 'to-customer', FILES_MAX_BYTES: '1000000' };

  it('reaches both endpoints with the pairing', async () => {
    await using s = await fileSession({ env });
    const policy = { maxBytes: 1_000_000, directions: ['to-customer'] };
    expect(s.customer.filePolicy).toEqual(policy);
    expect(s.custSession.filePolicy).toEqual(policy);
    expect(s.techSession.filePolicy).toEqual(policy);
    expect(s.tech.policy).toEqual(policy);
  });

  it('to-customer only: the customer cannot send, and a forged customer offer is refused as not allowed; nothing is written', async () => {
    await using s = await fileSession({ env });
    const src = path.join(s.work, 'protokoll.txt');
    writeFileSync(src, 'x'.repeat(1000));
    await expect(s.feature.sendFile(src)).rejects.toSatisfy((e) => e instanceof FileTransferError && e.reason === 'not-allowed');
    expect(s.feature.maySend).toBe(false);
    // a modified customer offers anyway: the technician's manager refuses without asking anyone
    const offers: unknown[] = [];
    s.tech.on('offer', (o) => offers.push(o));
    const transferId = newTransferId();
    const refused = refusalFor(s.custSession, transferId);
    const ended = whenTransfer(s.tech, (i) => i.transferId === transferId && isEnd(i));
    await s.custSession.sendControl({ type: 'file-offer', transferId, name: 'protokoll.txt', size: 1000, from: 'customer' });
    expect(await refused).toEqual({ type: 'file-refuse', transferId, reason: 'not-allowed' });
    expect(await ended).toMatchObject({ state: 'refused', reason: 'not-allowed', transferred: 0 });
    expect(offers, 'the technician is never asked').toEqual([]);
    // the plain reason each side shows
    expect(consoleEn.reason['not-allowed']).toBe('This server does not allow files in this direction.');
    expect(consoleDe.reason['not-allowed']).toBe('Dieser Server erlaubt keine Dateien in diese Richtung.');
    expect(pageEn.reason['not-allowed']).toBe('Files cannot be sent in this direction.');
    await expect.poll(() => reportsSent(s.proxy, 'technician'), { timeout: 5000 }).toEqual([expect.objectContaining({ event: 'file-failed', transferId, reason: 'not-allowed' })]);
    expect(entries(s.folder)).toEqual([]);
  });

  it('over the size limit: the technician cannot send, a forged offer is refused as too large, the folder stays empty', async () => {
    await using s = await fileSession({ env });
    expect(() => s.tech.send(bytesSource('gross.iso', new Uint8Array(1_000_001)))).toThrow(expect.objectContaining({ reason: 'too-large' }));
    const asked: unknown[] = [];
    s.feature.on('offer', (o) => asked.push(o));
    const transferId = newTransferId();
    const refused = refusalFor(s.techSession, transferId);
    await s.techSession.sendControl({ type: 'file-offer', transferId, name: 'gross.iso', size: 2_000_000, from: 'technician' });
    expect(await refused).toEqual({ type: 'file-refuse', transferId, reason: 'too-large' });
    expect(asked, 'the customer is never asked').toEqual([]);
    // exactly at the limit is allowed and arrives
    s.feature.on('offer', (o) => void s.feature.accept(o.transferId));
    const ok = s.tech.send(bytesSource('genau.bin', new Uint8Array(1_000_000).fill(1)));
    expect(await whenTransfer(s.feature, (i) => i.transferId === ok.transferId && isEnd(i))).toMatchObject({ state: 'completed' });
    expect(entries(s.folder)).toEqual(['genau.bin']);
  });
});
