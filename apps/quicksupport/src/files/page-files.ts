import { FileTransferError, FileTransfers, blobSource, browserSink, type SecureSession, type TransferInfo } from '@fernhilfe/client';

export interface PageFilesState {
  transfers: readonly TransferInfo[];
  /** offers waiting for the customer's Accept / Refuse, oldest first */
  offers: readonly TransferInfo[];
  /** the technician's latest "please send me a file" message */
  request?: string;
  /** the last send the operator's policy refused before anything went out */
  problem?: 'too-large' | 'not-allowed';
  /** agent mode: the folder accepted files are saved in (else the browser's downloads) */
  folder?: string;
}

/** What the files card needs: the browser's PageFiles, or the agent's (agent/agent-files.ts). */
export interface FilesPort {
  subscribe(listener: () => void): () => void;
  getSnapshot(): PageFilesState;
  accept(transferId: string): Promise<void> | void;
  refuse(transferId: string): void;
  cancel(transferId: string): void;
  send(files: Iterable<File>): void;
}

/**
 * The customer's side of file transfer on the page: each offer from the technician waits for the
 * customer's Accept or Refuse; accepted files are saved through the browser's downloads after the
 * SHA-256 matched; the customer can send files to the technician. One per page, attached to the
 * session when it opens (session-store.ts).
 */
export class PageFiles implements FilesPort {
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
      // the operator's policy from the server (registered); undefined: an older server, everything allowed
      ...(session.filePolicy ? { policy: session.filePolicy } : {}),
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
    let problem: PageFilesState['problem'];
    for (const file of files) {
      try {
        this.transfers?.send(blobSource(file));
      } catch (err) {
        // refused by the operator's policy before anything was sent: say why
        if (err instanceof FileTransferError && err.reason !== 'unknown-transfer') problem = err.reason;
        else throw err;
      }
    }
    this.set({ request: undefined, problem });
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
