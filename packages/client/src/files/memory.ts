import { InvariantError } from '@fernhilfe/protocol';
import type { FileSink, FileSource } from './types.js';

/** A FileSource over bytes already in memory (small files, tests). */
export function bytesSource(name: string, bytes: Uint8Array, mime?: string): FileSource {
  return {
    name,
    size: bytes.length,
    ...(mime ? { mime } : {}),
    readChunk: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
  };
}

/**
 * A FileSink that collects the chunks in memory and hands them over only after the hash matched
 * (`deliver`). For browsers without the File System Access API: the whole file is in memory once,
 * so keep it for files the browser can hold (docs/files.md: "memory limit").
 */
export class MemorySink implements FileSink {
  private chunks: Uint8Array[] = [];
  private name = '';
  private state: 'new' | 'open' | 'committed' | 'aborted' = 'new';

  constructor(private readonly deliver: (name: string, chunks: Uint8Array[]) => void | Promise<void> = () => undefined) {}

  get isCommitted(): boolean {
    return this.state === 'committed';
  }

  open(safeName: string): Promise<void> {
    this.name = safeName;
    this.state = 'open';
    return Promise.resolve();
  }

  write(_offset: number, bytes: Uint8Array): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new InvariantError('sink is not open'));
    this.chunks.push(bytes.slice());
    return Promise.resolve();
  }

  async commit(): Promise<string> {
    if (this.state !== 'open') throw new InvariantError('sink is not open');
    this.state = 'committed';
    const chunks = this.chunks;
    this.chunks = [];
    await this.deliver(this.name, chunks);
    return this.name;
  }

  abort(): Promise<void> {
    if (this.state !== 'committed') this.state = 'aborted';
    this.chunks = [];
    return Promise.resolve();
  }
}
