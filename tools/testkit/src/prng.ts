import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

const BLOCK = 4 * 1024 * 1024;

/**
 * Writes `size` bytes of a seeded pseudo-random stream (AES-128-CTR over zeros, key and IV from
 * SHA-256 of the seed) to `filePath`, 4 MiB at a time: the same seed gives the same file, and the
 * whole file is never in memory.
 */
export async function writePrngFile(filePath: string, size: number, seed: string): Promise<void> {
  const keyIv = createHash('sha256').update(`fernhilfe-bench ${seed}`).digest();
  const cipher = createCipheriv('aes-128-ctr', keyIv.subarray(0, 16), keyIv.subarray(16, 32));
  const zeros = new Uint8Array(BLOCK);
  const fh = await open(filePath, 'w', 0o600);
  try {
    for (let done = 0; done < size; ) {
      const n = Math.min(BLOCK, size - done);
      const block = cipher.update(zeros.subarray(0, n));
      await fh.write(block, 0, block.length, done);
      done += n;
    }
  } finally {
    await fh.close();
  }
}

/** SHA-256 of a file on disk, streamed. */
export function sha256File(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(filePath, { highWaterMark: 1024 * 1024 })
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
