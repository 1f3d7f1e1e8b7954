import { Emitter, FileTransferError, type FilePolicy, type FileSource, type TransferInfo } from '@fernhilfe/client';
import type { FileFeature } from '../files/feature.js';
import type { FilesView, SendProblem } from '../ui/file-messages.js';
import { listenerErrorsTo, type Log } from './log.js';

export interface AgentFilesEvents extends Record<string, unknown> {
  /** a new view for the faces (at most ten a second while bytes move; at once for offers and ends) */
  files: FilesView;
}

/**
 * File transfer as the agent's faces show it: the session's FileFeature (technician -> customer
 * offers saved into the Downloads folder, customer -> technician sends) turned into one `FilesView`,
 * and the customer's clicks (Accept, Refuse, Cancel, Send) turned into calls on the feature. The
 * page server and the terminal UI render `files` and call the handle*() methods.
 */
export class AgentFiles extends Emitter<AgentFilesEvents> {
  private feature: FileFeature | undefined;
  private offs: (() => void)[] = [];
  private viewValue: FilesView = { folder: '', maySend: false, transfers: [], offers: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly log: Log) {
    super(listenerErrorsTo(log));
  }

  get view(): FilesView {
    return this.viewValue;
  }

  /** The session opened with this feature; `policy`: the operator's, sent by the server. */
  attach(feature: FileFeature, policy: FilePolicy | undefined): void {
    this.detach();
    this.feature = feature;
    if (policy) feature.setPolicy(policy);
    this.offs = [
      feature.on('offer', (o) => this.set({ offers: [...this.viewValue.offers, o] }, true)),
      feature.on('request', ({ message }) => this.set({ request: message }, true)),
      feature.on('update', (i) => this.changed(i)),
    ];
    this.set({ folder: feature.folder, maySend: feature.maySend, transfers: feature.list() }, true);
  }

  /** The session is over: the list stays visible, offers go. */
  detach(): void {
    for (const off of this.offs) off();
    this.offs = [];
    const feature = this.feature;
    this.feature = undefined;
    if (feature) this.set({ offers: [], maySend: false, transfers: feature.list() }, true);
  }

  handleAccept(transferId: string): void {
    const feature = this.offered(transferId);
    if (!feature) return;
    feature.accept(transferId).catch((err: unknown) => this.log.warn({ err }, 'accepting a file failed'));
  }

  handleRefuse(transferId: string): void {
    this.offered(transferId)?.refuse(transferId);
  }

  handleCancel(transferId: string): void {
    this.feature?.cancel(transferId);
  }

  /** The customer picked a file to send; `source` reads it (from the page, chunk by chunk). */
  async handleSend(source: FileSource): Promise<void> {
    const feature = this.feature;
    if (!feature) return void (await source.close?.());
    try {
      await feature.send(source);
      this.set({ request: undefined, problem: undefined }, true);
    } catch (err) {
      if (!(err instanceof FileTransferError) || err.reason === 'unknown-transfer') throw err;
      this.set({ problem: err.reason satisfies SendProblem }, true);
    }
  }

  /** The offer is answered (or gone): it leaves the prompts; returns the feature if it was waiting. */
  private offered(transferId: string): FileFeature | undefined {
    const waiting = this.viewValue.offers.some((o) => o.transferId === transferId);
    if (!waiting) return undefined;
    this.set({ offers: this.viewValue.offers.filter((o) => o.transferId !== transferId) }, true);
    return this.feature;
  }

  private changed(info: TransferInfo): void {
    const ended = info.state === 'completed' || info.state === 'refused' || info.state === 'cancelled' || info.state === 'failed';
    // an offer the technician withdrew (cancel before the answer) leaves the prompts
    const offers = ended ? this.viewValue.offers.filter((o) => o.transferId !== info.transferId) : this.viewValue.offers;
    if (ended || offers !== this.viewValue.offers) return this.set({ offers, transfers: this.feature?.list() ?? this.viewValue.transfers }, true);
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.feature) this.set({ transfers: this.feature.list() }, true);
    }, 100);
  }

  private set(patch: Partial<FilesView>, now: boolean): void {
    const next: FilesView = { ...this.viewValue, ...patch };
    for (const key of Object.keys(next) as (keyof FilesView)[]) if (next[key] === undefined) delete next[key];
    this.viewValue = next;
    if (now) this.emit('files', next);
  }
}
