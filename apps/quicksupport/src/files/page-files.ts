import { FileTransfers, blobSource, browserSink, type SecureSession, type TransferInfo } from '@fernhilfe/client';

export interface PageFilesState {
  transfers: readonly TransferInfo[];
  /** offers waiting for the customer's Accept / Refuse, oldest first */
  offers: readonly TransferInfo[];
  /** the technician's latest "please send me a file" message */
  request?: string;
}

/**
 * The customer's side of file transfer on the page: each offer from the technician waits for the
 * customer's Accept or Refuse; accepted files are saved through the browser's downloads after the
 * SHA-256 matched; the customer can send files to the technician. One per page, attached to the
 * session when it opens (session-store.ts).
 */
export class PageFiles {
  private state: PageFilesState = { transfers: [], offers: [] };
  private readonly listeners = new Set<() => void>();
  private transfers: FileTransfers | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): PageFilesState => this.state;

  attach(session: SecureSession): void {
    const t = new FileTransfers({
      role: 'customer',
      port: { sendControl: (m) => session.sendControl(m), sendData: (c, b) => session.sendData(c, b), report: (r) => session.report(r) },
    });
    this.transfers = t;
    t.on('update', () => this.refresh());
    t.on('offer', (o) => this.set({ offers: [...this.state.offers, o] }));
    t.on('request', ({ message }) => this.set({ request: message }));
    session.on('control', (m) => void t.handleControl(m));
    session.on('data', ({ channel, bytes }) => t.handleData(channel, bytes));
    session.on('ended', () => {
      t.handleEnded();
      this.set({ offers: [] });
    });
  }

  /** Accept: call from the click (a large file may open the browser's save dialog). */
  async accept(transferId: string): Promise<void> {
    const t = this.transfers;
    const offer = this.state.offers.find((o) => o.transferId === transferId);
    if (!t || !offer) return;
    const sink = browserSink(offer.name, offer.size, offer.mime);
    this.dropOffer(transferId);
    try {
      await t.accept(transferId, await sink);
    } catch {
      t.refuse(transferId); // the save dialog was closed
    }
  }

  refuse(transferId: string): void {
    this.dropOffer(transferId);
    this.transfers?.refuse(transferId);
  }

  cancel(transferId: string): void {
    this.transfers?.cancel(transferId);
  }

  send(files: Iterable<File>): void {
    for (const file of files) {
      try {
        this.transfers?.send(blobSource(file));
      } catch {
        // refused by the operator's policy before anything was sent: nothing to show in the list
      }
    }
    this.set({ request: undefined });
  }

  private dropOffer(id: string): void {
    this.set({ offers: this.state.offers.filter((o) => o.transferId !== id) });
  }

  private refresh(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.transfers) this.set({ transfers: this.transfers.list() });
    }, 100);
  }

  private set(patch: Partial<PageFilesState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
