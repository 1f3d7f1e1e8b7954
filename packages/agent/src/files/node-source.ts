import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { FileSource } from '@fernhilfe/client';
import { InvariantError } from '@fernhilfe/protocol';
import { LocalFileError } from './errors.js';

/** A FileSource over a file on disk: opened once, each chunk read at its offset when asked for. */
export async function nodeFileSource(filePath: string, opts: { name?: string; mime?: string } = {}): Promise<FileSource> {
  const info = await stat(filePath);
  if (!info.isFile()) throw new LocalFileError('not-a-file', `${filePath} is not a file`);
  let handle: FileHandle | undefined = await open(filePath, 'r');
  const readInto = async (offset: number, target: Uint8Array): Promise<number> => {
    if (!handle) throw new InvariantError('the file is closed');
    let got = 0;
    while (got < target.length) {
      const { bytesRead } = await handle.read(target, got, target.length - got, offset + got);
      if (bytesRead === 0) break; // the file shrank: the transfer fails with read-failed
      got += bytesRead;
    }
    return got;
  };
  return {
    name: opts.name ?? path.basename(filePath),
    size: info.size,
    ...(opts.mime ? { mime: opts.mime } : {}),
    async readChunk(offset, length) {
      const buf = new Uint8Array(length);
      const got = await readInto(offset, buf);
      return got === length ? buf : buf.subarray(0, got);
    },
    readInto,
    async close() {
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
}
