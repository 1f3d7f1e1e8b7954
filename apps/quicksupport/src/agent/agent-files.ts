import { encodePageRead, type FilesView, type FromPage, type ToPage } from '@fernhilfe/protocol';
import type { FilesPort, PageFilesState } from '../files/page-files.js';

type ReadRequest = Extract<ToPage, { type: 'file-read' }>;

/**
 * The files card's backend when the page is the native agent's face: the agent runs the transfers
 * and sends its view; Accept / Refuse / Cancel go back as messages. "Send a file" keeps the picked
 * File here (nothing is written to disk anywhere) and answers the agent's reads one piece at a time
 * with File.slice() bytes in a binary frame (`u32 read | bytes`, file-messages.ts).
 */
export class AgentPageFiles implements FilesPort {
  private state: PageFilesState = { transfers: [], offers: [] };
  private readonly listeners = new Set<() => void>();
  private readonly picked = new Map<number, File>();
  private nextSource = 1;

  constructor(
    private readonly post: (message: FromPage) => void,
    private readonly postBinary: (bytes: Uint8Array) => void,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): PageFilesState => this.state;

  /** the agent's view of the session's transfers */
  handleView(view: FilesView): void {
    const next: PageFilesState = { transfers: view.transfers, offers: view.offers, folder: view.folder };
    if (view.request !== undefined) next.request = view.request;
    if (view.problem !== undefined) next.problem = view.problem;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }

  /** the agent asks for a piece of a picked file */
  async handleRead(m: ReadRequest): Promise<void> {
    const file = this.picked.get(m.source);
    if (!file || m.offset + m.length > file.size) return; // unknown or out of range: the agent's read times out and the transfer fails
    const bytes = new Uint8Array(await file.slice(m.offset, m.offset + m.length).arrayBuffer());
    if (bytes.length === m.length) this.postBinary(encodePageRead(m.read, bytes));
  }

  /** the agent no longer needs a picked file */
  handleRelease(source: number): void {
    this.picked.delete(source);
  }

  accept(transferId: string): void {
    this.post({ type: 'file-accept', transferId });
  }

  refuse(transferId: string): void {
    this.post({ type: 'file-refuse', transferId });
  }

  cancel(transferId: string): void {
    this.post({ type: 'file-cancel', transferId });
  }

  /** "Send a file to the technician": the agent offers each file and then reads it from here */
  send(files: Iterable<File>): void {
    for (const file of files) {
      const source = this.nextSource++;
      this.picked.set(source, file);
      this.post({ type: 'file-send', source, name: file.name.slice(0, 1024), size: file.size, ...(file.type ? { mime: file.type.slice(0, 255) } : {}) });
    }
  }
}
