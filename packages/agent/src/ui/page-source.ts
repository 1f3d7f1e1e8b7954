import type { FileSource } from '@fernhilfe/client';
import { LocalFileError } from '../files/errors.js';
import { MAX_PAGE_READ, decodePageRead } from './file-messages.js';
import type { ToPage } from './messages.js';

/** How long the agent waits for the page's answer to one read before the transfer fails (read-failed). */
export const PAGE_READ_TIMEOUT_MS = 30_000;

interface PendingRead {
  source: number;
  length: number;
  resolve: (bytes: Uint8Array) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The files one page (one WebSocket) picked for sending, read chunk by chunk from that page: nothing
 * goes to disk. `source()` makes a FileSource whose readChunk sends `file-read{source, read, offset,
 * length}` and resolves with the page's binary answer. Bounded: at most two reads open per transfer
 * (each at most MAX_PAGE_READ bytes), an answer must match an open read of this page with
 * exactly the asked length, and every open read fails when the page goes (reload, closed tab).
 */
export class PageReads {
  private readonly pending = new Map<number, PendingRead>();
  private nextRead = 1;
  private closed = false;

  constructor(
    private readonly send: (message: ToPage) => void,
    private readonly timeoutMs = PAGE_READ_TIMEOUT_MS,
  ) {}

  /**
   * A source over the page's picked file `source` (its number, chosen by the page). It asks for the
   * next chunk while the current one is sealed and sent (one read ahead, so at most two are open),
   * which hides the page's round trip.
   */
  source(source: number, name: string, size: number, mime?: string): FileSource {
    let ahead: { offset: number; length: number; bytes: Promise<Uint8Array> } | undefined;
    const readChunk = (offset: number, length: number): Promise<Uint8Array> => {
      const hit = ahead && ahead.offset === offset && ahead.length === length ? ahead.bytes : undefined;
      ahead = undefined;
      const bytes = hit ?? this.read(source, offset, length);
      const next = offset + length;
      if (next < size) {
        const l = Math.min(length, size - next);
        ahead = { offset: next, length: l, bytes: this.read(source, next, l) };
        ahead.bytes.catch(() => undefined); // a read ahead that is never used must not go unhandled
      }
      return bytes;
    };
    return {
      name,
      size,
      ...(mime ? { mime } : {}),
      readChunk,
      close: async () => this.send({ type: 'file-release', source }),
    };
  }

  /**
   * A binary frame from the page: the answer to an open read. Returns false for a frame that answers
   * nothing open or has the wrong length (the caller drops the connection: that page misbehaves).
   */
  handleBinary(frame: Uint8Array): boolean {
    const answer = decodePageRead(frame);
    const open = answer && this.pending.get(answer.read);
    if (!answer || !open) return false;
    this.pending.delete(answer.read);
    clearTimeout(open.timer);
    if (answer.data.length !== open.length) {
      open.reject(new LocalFileError('page-misread', 'the page answered with the wrong length'));
      return false;
    }
    open.resolve(answer.data.slice());
    return true;
  }

  /** The page is gone: every open read fails (its transfers end with read-failed), new ones too. */
  close(): void {
    this.closed = true;
    for (const [read, open] of this.pending) {
      clearTimeout(open.timer);
      this.pending.delete(read);
      open.reject(new LocalFileError('page-gone', 'the page that holds the file is gone'));
    }
  }

  private read(source: number, offset: number, length: number): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new LocalFileError('page-gone', 'the page that holds the file is gone'));
    if (length < 1 || length > MAX_PAGE_READ) return Promise.reject(new RangeError(`a page read is 1..${MAX_PAGE_READ} bytes`));
    const read = this.nextRead;
    this.nextRead = this.nextRead >= 2 ** 32 - 1 ? 1 : this.nextRead + 1;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(read);
        reject(new LocalFileError('page-silent', 'the page did not answer a read'));
      }, this.timeoutMs);
      this.pending.set(read, { source, length, resolve, reject, timer });
      this.send({ type: 'file-read', source, read, offset, length });
    });
  }
}
