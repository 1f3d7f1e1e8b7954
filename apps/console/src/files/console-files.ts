import { FileTransfers, FileTransferError, blobSource, browserSink, type FilePolicy, type FilePort, type TransferInfo } from '@fernhilfe/client';
import type { ControlMessage, LogicalChannel } from '@fernhilfe/protocol';
import { Store } from '../state/store';

export interface FilesState {
  /** every transfer of the session, oldest first */
  transfers: readonly TransferInfo[];
  /** offers from the customer waiting for the technician's Save / Decline */
  offers: readonly string[];
  /** the last send that was refused before it started (policy) */
  problem?: 'too-large' | 'not-allowed';
  asked: boolean;
}

/**
 * The technician's side of file transfer: sends picked or dropped files, asks the customer for one,
 * saves what the customer sends (after a click: Save), and keeps what the panel shows in a store.
 */
export class ConsoleFiles {
  readonly store = new Store<FilesState>({ transfers: [], offers: [], asked: false });
  private readonly transfers: FileTransfers;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `policy`: the operator's file policy the server sent with the pairing (SecureSession.filePolicy) */
  constructor(port: FilePort, policy?: FilePolicy) {
    this.transfers = new FileTransfers({ port, role: 'technician', ...(policy ? { policy } : {}) });
    this.transfers.on('update', () => this.refresh());
    this.transfers.on('offer', (o) => this.store.set((s) => ({ offers: [...s.offers, o.transferId] })));
  }

  get maySend(): boolean {
    return this.transfers.maySend;
  }

  send(files: Iterable<File>): void {
    for (const file of files) {
      try {
        this.transfers.send(blobSource(file));
        this.store.set({ problem: undefined });
      } catch (err) {
        if (err instanceof FileTransferError && err.reason !== 'unknown-transfer') this.store.set({ problem: err.reason });
        else throw err;
      }
    }
  }

  async ask(message: string): Promise<void> {
    await this.transfers.request(message);
    this.store.set({ asked: true });
  }

  /** Save: call from the click (the browser may ask where to put a large file). */
  async save(transferId: string): Promise<void> {
    const info = this.transfers.get(transferId);
    if (!info) return;
    this.dropOffer(transferId);
    try {
      await this.transfers.accept(transferId, await browserSink(info.name, info.size, info.mime));
    } catch {
      this.transfers.refuse(transferId); // the save dialog was closed
    }
  }

  decline(transferId: string): void {
    this.dropOffer(transferId);
    this.transfers.refuse(transferId);
  }

  cancel(transferId: string): void {
    this.dropOffer(transferId);
    this.transfers.cancel(transferId);
  }

  handleControl(message: ControlMessage): void {
    this.transfers.handleControl(message);
  }

  handleData(channel: LogicalChannel, bytes: Uint8Array): void {
    this.transfers.handleData(channel, bytes);
  }

  handleEnded(): void {
    this.transfers.handleEnded();
    this.store.set({ offers: [] });
  }

  private dropOffer(id: string): void {
    this.store.set((s) => ({ offers: s.offers.filter((o) => o !== id) }));
  }

  /** At most ten renders a second, however fast the acks come. */
  private refresh(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.store.set({ transfers: this.transfers.list() });
    }, 100);
  }
}
