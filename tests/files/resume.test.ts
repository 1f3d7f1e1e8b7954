import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSource } from '@fernhilfe/agent';
import { sha256File, writePrngFile } from '@fernhilfe/testkit';
import { cutAndWait } from '../support/resume-kit.js';
import { entries, fileSession, isEnd, peerFrameSizes, whenTransfer } from './support.js';

const SIZE = 64 * 1024 * 1024;
const CHUNK = 256 * 1024;
const WINDOW_CHUNKS = 16; // DEFAULT_WINDOW_CHUNKS

/**
 * The connection is cut at about half of a transfer (no close frame: the sockets just die) and the
 * reconnect is held off for a second. The session resumes with the same keys and resends exactly the
 * sealed frames the peer did not get (docs/protocol.md §8); the file transfer goes on from there.
 * Bytes counted: the sender's file layer hands every byte to the session exactly once, and on the
 * wire the only chunks that go out twice are the ones that were in flight when the line died (at most
 * the transfer window, WINDOW_CHUNKS chunks).
 */
describe('a transfer across a dropped connection', () => {
  for (const side of ['technician', 'customer', 'both'] as const) {
    it(`cut ${side} at half: resumes, completes, equal hashes, no byte sent twice beyond the chunks in flight`, async () => {
      await using s = await fileSession({ chunkSize: CHUNK });
      const src = path.join(s.work, 'image.iso');
      await writePrngFile(src, SIZE, `resume-${side}`);
      s.feature.on('offer', (o) => void s.feature.accept(o.transferId));
      const info = s.tech.send(await nodeFileSource(src));
      await whenTransfer(s.feature, (i) => i.transferred >= SIZE / 2);
      const lost = s.custSession.once('connection-lost');
      await cutAndWait(s.proxy, side, 1000, [s.techSession, s.custSession]);
      await lost;
      const [sent, got] = await Promise.all([whenTransfer(s.tech, (i) => i.transferId === info.transferId && isEnd(i)), whenTransfer(s.feature, isEnd)]);
      expect(got.state).toBe('completed');
      expect(sent.state).toBe('completed');
      expect(await sha256File(path.join(s.folder, 'image.iso'))).toBe(await sha256File(src));
      expect(got.sha256).toBe(sent.sha256);
      expect(entries(s.folder)).toEqual(['image.iso']);

      // the file layer: every byte handed to the session exactly once
      expect(sent.sentBytes).toBe(SIZE);
      // the wire: chunk frames the technician sent over all its connections, vs. the chunks of the file
      const chunkFrames = peerFrameSizes(s.proxy, 'technician').filter((n) => n > CHUNK).length;
      const resent = chunkFrames - SIZE / CHUNK;
      console.log(`cut ${side}: ${chunkFrames} chunk frames on the wire for ${SIZE / CHUNK} chunks: ${resent} sent again`);
      expect(resent).toBeGreaterThanOrEqual(0);
      expect(resent).toBeLessThanOrEqual(WINDOW_CHUNKS);
    }, 120_000);
  }
});
