import { open } from 'node:fs/promises';
import { FrameDecoder, FrameKind, encodeFrame } from '@fernhilfe/protocol';
import type { Tap } from './tap-transport.js';

/** Most bytes queued on the WebSocket before the raw sender waits (the session's own high-water mark). */
const HIGH_WATER = 1024 * 1024;
const RAW_MARK = 0xee;

/**
 * The unencrypted baseline: the same file bytes in the same chunk size as PEER frames over the same
 * WebSocket path through the server's relay, without sealing, acks or hashing. Read from disk and
 * written to disk like the real transfer.
 */
export async function sendRaw(tap: Tap, filePath: string, chunkSize: number): Promise<number> {
  const t = tap.raw!;
  const fh = await open(filePath, 'r');
  try {
    const { size } = await fh.stat();
    for (let offset = 0; offset < size; ) {
      while (t.bufferedAmount > HIGH_WATER) await new Promise((r) => setTimeout(r, 1));
      const n = Math.min(chunkSize, size - offset);
      const body = new Uint8Array(1 + n);
      body[0] = RAW_MARK;
      await fh.read(body, 1, n, offset);
      t.send(encodeFrame(FrameKind.peer, body));
      offset += n;
    }
    return size;
  } finally {
    await fh.close();
  }
}

/** Receives `size` raw bytes (diverted from the session), writes them to `filePath`, resolves when all are there. */
export async function receiveRaw(tap: Tap, filePath: string, size: number, ready: () => void): Promise<void> {
  const fh = await open(filePath, 'w', 0o600);
  const decoder = new FrameDecoder();
  let got = 0;
  let writes: Promise<unknown> = Promise.resolve();
  try {
    await new Promise<void>((resolve, reject) => {
      tap.divert((bytes) => {
        try {
          for (const f of decoder.push(bytes)) {
            if (f.kind !== FrameKind.peer || f.body[0] !== RAW_MARK) continue;
            const data = f.body.subarray(1);
            const at = got;
            got += data.length;
            writes = writes.then(() => fh.write(data, 0, data.length, at));
            if (got >= size) resolve();
          }
        } catch (err) {
          reject(err as Error);
        }
      });
      ready(); // only now may the sender start: an earlier raw frame would reach the session and end it
    });
    await writes;
  } finally {
    tap.divert(undefined);
    await fh.close();
  }
}
