import { InvariantError } from '@fernhilfe/protocol';
import { MemorySink } from './memory.js';
import type { FileSink, FileSource } from './types.js';

/** A FileSource over a browser File/Blob: each chunk is sliced and read when asked for, never the whole file. */
export function blobSource(file: Blob & { name?: string }, name = file.name ?? 'file'): FileSource {
  return {
    name,
    size: file.size,
    ...(file.type ? { mime: file.type } : {}),
    readChunk: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

/** The part of FileSystemWritableFileStream a sink uses. */
export interface WritableFile {
  write(data: { type: 'write'; position: number; data: Uint8Array<ArrayBuffer> }): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

/**
 * A FileSink over the File System Access API (Chromium: `showSaveFilePicker`, asked in the click that
 * accepted the file). The browser writes into a hidden swap file and replaces the chosen file only on
 * close(), which comes after the hash matched; abort() discards the swap file. Streams to disk: memory
 * stays at the window of chunks in flight.
 */
export class WritableFileSink implements FileSink {
  private writable: WritableFile | undefined;

  constructor(
    private readonly handle: { name: string; createWritable(): Promise<WritableFile> },
  ) {}

  async open(): Promise<void> {
    this.writable = await this.handle.createWritable();
  }

  write(offset: number, bytes: Uint8Array): Promise<void> {
    if (!this.writable) return Promise.reject(new InvariantError('sink is not open'));
    return this.writable.write({ type: 'write', position: offset, data: bytes.slice() });
  }

  async commit(): Promise<string> {
    await this.writable!.close();
    return this.handle.name;
  }

  async abort(): Promise<void> {
    await this.writable?.abort().catch(() => undefined);
  }
}

/** Above this size the browser path asks for a place on disk (File System Access) instead of building a Blob. */
export const BLOB_LIMIT = 256 * 1024 * 1024;

/** Hands a finished file to the browser's download mechanism (an <a download> click on a Blob URL). */
export function downloadBlob(name: string, chunks: Uint8Array[], mime = 'application/octet-stream'): void {
  const blob = new Blob(chunks as Uint8Array<ArrayBuffer>[], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type SavePicker = (opts: { suggestedName: string }) => Promise<{ name: string; createWritable(): Promise<WritableFile> }>;

/**
 * The sink for an accepted file in a browser. Call it inside the click that accepted the file: a file
 * larger than BLOB_LIMIT goes straight to disk through `showSaveFilePicker` where the browser has it
 * (Chromium); everything else is collected in memory and downloaded as a Blob once verified, so the
 * browser holds the whole file once (docs/files.md, "memory limit"). Rejects when the person closes
 * the save dialog.
 */
export async function browserSink(name: string, size: number, mime?: string): Promise<FileSink> {
  const picker = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (size > BLOB_LIMIT && typeof picker === 'function') return new WritableFileSink(await picker({ suggestedName: name }));
  return new MemorySink((finalName, chunks) => downloadBlob(finalName, chunks, mime));
}
