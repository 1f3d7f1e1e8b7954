import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InvariantError, MAX_NAME_BYTES, uniqueFileName } from '@fernhilfe/protocol';
import type { FileSink } from '@fernhilfe/client';
import { LocalFileError } from './errors.js';

export const PART_SUFFIX = '.fernhilfe-part';

/**
 * A FileSink that writes into `folder`:
 *   open    -> a new hidden temporary file `.<name>.<random>.fernhilfe-part` (created exclusively, mode 600)
 *   write   -> positional writes
 *   commit  -> fsync, close, then the final name: `name`, or "name (2).ext" when that name (ignoring case)
 *              exists; hard-linked so an existing file is never replaced (rename where links are not
 *              supported), then the temporary name removed
 *   abort   -> close and delete the temporary file
 * Operations run one after the other, so an abort during a write still removes the file.
 */
export class FolderSink implements FileSink {
  private handle: FileHandle | undefined;
  private temp: string | undefined;
  private name = '';
  private tail: Promise<unknown> = Promise.resolve();
  private done = false;

  constructor(readonly folder: string) {}

  /** The temporary file's path while the transfer runs (tests look for leftovers). */
  get tempPath(): string | undefined {
    return this.temp;
  }

  open(safeName: string): Promise<void> {
    return this.serial(async () => {
      const info = await stat(this.folder);
      if (!info.isDirectory()) throw new LocalFileError('not-a-folder', `${this.folder} is not a folder`);
      this.name = safeName;
      const stem = Buffer.from(safeName).subarray(0, MAX_NAME_BYTES - 40).toString('utf8').replace(/\uFFFD+$/, '');
      this.temp = path.join(this.folder, `.${stem}.${randomBytes(4).toString('hex')}${PART_SUFFIX}`);
      this.handle = await open(this.temp, 'wx', 0o600);
    });
  }

  write(offset: number, bytes: Uint8Array): Promise<void> {
    return this.serial(async () => {
      if (!this.handle || this.done) throw new InvariantError('the file is not open');
      let written = 0;
      while (written < bytes.length) {
        const r = await this.handle.write(bytes, written, bytes.length - written, offset + written);
        written += r.bytesWritten;
      }
    });
  }

  commit(): Promise<string> {
    return this.serial(async () => {
      if (!this.handle || !this.temp || this.done) throw new InvariantError('the file is not open');
      await this.handle.sync();
      await this.handle.close();
      this.handle = undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        const final = uniqueFileName(this.name, await readdir(this.folder));
        const target = path.join(this.folder, final);
        try {
          await link(this.temp, target);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') continue; // someone made that name meanwhile: take the next
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
          await rename(this.temp, target); // a file system without hard links; the name was just checked free
          this.temp = undefined;
          this.done = true;
          return final;
        }
        await unlink(this.temp);
        this.temp = undefined;
        this.done = true;
        return final;
      }
      throw new LocalFileError('no-free-name', 'no free name');
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      this.done = true;
      await this.handle?.close().catch(() => undefined);
      this.handle = undefined;
      if (this.temp) await unlink(this.temp).catch(() => undefined);
      this.temp = undefined;
    }).catch(() => undefined);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
