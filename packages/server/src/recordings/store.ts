import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Largest upload chunk (a few seconds of video, encrypted). */
export const RECORDING_MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** Largest number of chunks of one recording (with a chunk a second: more than a day). */
export const RECORDING_MAX_CHUNKS = 100_000;

/**
 * The ciphertext on disk, under DATA_DIR/recordings: each uploaded chunk as its own file
 * (`<id>.parts/<index>`, written under a temporary name and renamed, so a repeated upload of the
 * same index replaces it whole), then on finish the chunks joined in order into `<id>.tmp-…` and
 * renamed to `<id>.fhrec`. The server never holds a key: it stores what it is given.
 */
export class RecordingFiles {
  constructor(private readonly dir: string) {}

  finalPath(id: string): string {
    return path.join(this.dir, `${id}.fhrec`);
  }

  private partsDir(id: string): string {
    return path.join(this.dir, `${id}.parts`);
  }

  async writeChunk(id: string, index: number, bytes: Uint8Array): Promise<void> {
    const dir = this.partsDir(id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.${index}.${randomUUID()}.tmp`);
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, path.join(dir, String(index)));
  }

  /** Joins chunks 0..count-1 into the final file; undefined (nothing changed) when one is missing. */
  async assemble(id: string, count: number): Promise<{ size: number; sha256: string } | undefined> {
    const dir = this.partsDir(id);
    const names = new Set(await readdir(dir).catch(() => [] as string[]));
    for (let i = 0; i < count; i++) if (!names.has(String(i))) return undefined;
    const tmp = path.join(this.dir, `${id}.tmp-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const out = await open(tmp, 'w', 0o600);
    try {
      for (let i = 0; i < count; i++) {
        const bytes = await readFile(path.join(dir, String(i)));
        hash.update(bytes);
        size += bytes.length;
        await out.write(bytes);
      }
      await out.sync();
    } catch (err) {
      await out.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await out.close();
    await rename(tmp, this.finalPath(id));
    await rm(dir, { recursive: true, force: true });
    return { size, sha256: hash.digest('hex') };
  }

  async exists(id: string): Promise<boolean> {
    return stat(this.finalPath(id)).then(
      () => true,
      () => false,
    );
  }

  read(id: string): NodeJS.ReadableStream {
    return createReadStream(this.finalPath(id));
  }

  async remove(id: string): Promise<void> {
    await rm(this.finalPath(id), { force: true });
    await rm(this.partsDir(id), { recursive: true, force: true });
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }
}
