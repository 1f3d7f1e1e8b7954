/**
 * FileFeature: file transfer for the native agent (customer side), both directions.
 *
 * API for the agent's UI (packages/agent/src/ui/**):
 *
 *   const files = new FileFeature({ folder?: string, policy?: FilePolicy, report?: (r) => void });
 *   // pass it to runFeatures(session, [..., files], log); it starts with the session, stops at its end
 *
 *   files.on('offer', (t: TransferInfo) => ...)    // the technician offers t.name (t.size bytes): show the
 *                                                  // consent prompt "who sends, name, size" -> Accept / Refuse
 *   files.accept(t.transferId, folder?)            // Accept: saves into `folder` or files.folder (Downloads)
 *   files.refuse(t.transferId)                     // Refuse: nothing is written
 *   files.on('request', ({ message }) => ...)      // the technician asks for a file: show the message and a
 *   files.sendFile(path)                           // file picker; sendFile offers it (throws FileTransferError
 *                                                  // with reason 'too-large' | 'not-allowed')
 *   files.send(source: FileSource)                 // the same for bytes that are not a file on disk (the
 *                                                  // agent page's picked File, read over the local socket)
 *   files.maySend                                  // the operator's policy lets the customer send at all
 *   files.on('update', (t: TransferInfo) => ...)   // progress / state of any transfer: t.transferred of t.size,
 *                                                  // t.bytesPerSecond, t.secondsLeft, t.state, t.reason, t.name
 *   files.list()                                   // every transfer of the session, in order
 *   files.cancel(transferId)                       // either direction, any time; leaves no partial file
 *   files.folder / files.setFolder(dir)            // where accepted files go (default: the Downloads folder)
 *
 * Incoming files are written to a hidden `.<name>.<random>.fernhilfe-part` in the folder, fsynced, and
 * get their final name ("name (2).ext" if taken, never overwriting) only after the SHA-256 matched.
 */
import { InvariantError, type ControlMessage, type LogicalChannel, type SessionReport } from '@fernhilfe/protocol';
import { mkdir } from 'node:fs/promises';
import { Emitter, FileTransfers, type FilePolicy, type FileSource, type FileTransferEvents, type TransferInfo } from '@fernhilfe/client';
import type { AgentFeature, SessionPort } from '../session/feature.js';
import { downloadsFolder } from './downloads.js';
import { FolderSink } from './folder-sink.js';
import { nodeSha256 } from './node-hash.js';
import { nodeFileSource } from './node-source.js';

export interface FileFeatureOptions {
  /** where accepted files go; default: the customer's Downloads folder */
  folder?: string;
  policy?: FilePolicy;
  /** audit reports to the server (SecureSession.report); used when the session port has no `report` */
  report?: (report: SessionReport) => void;
  chunkSize?: number;
  windowBytes?: number;
}

export class FileFeature extends Emitter<FileTransferEvents> implements AgentFeature {
  readonly name = 'files';
  private transfers: FileTransfers | undefined;
  private folderValue: string;
  private policy: FilePolicy | undefined;

  constructor(private readonly opts: FileFeatureOptions = {}) {
    super();
    this.folderValue = opts.folder ?? downloadsFolder();
    this.policy = opts.policy;
  }

  get folder(): string {
    return this.folderValue;
  }

  setFolder(folder: string): void {
    this.folderValue = folder;
  }

  /** The server's policy (may arrive after the start). */
  setPolicy(policy: FilePolicy): void {
    this.policy = policy;
    this.transfers?.setPolicy(policy);
  }

  start(port: SessionPort): Promise<void> {
    const report = port.report ?? this.opts.report;
    const t = new FileTransfers({
      role: 'customer',
      port: { sendControl: (m) => port.sendControl(m), sendData: (c, b) => port.sendData(c, b), ...(report ? { report } : {}) },
      createHash: nodeSha256,
      ...(this.policy ? { policy: this.policy } : {}),
      ...(this.opts.chunkSize ? { chunkSize: this.opts.chunkSize } : {}),
      ...(this.opts.windowBytes ? { windowBytes: this.opts.windowBytes } : {}),
    });
    t.on('offer', (i) => this.emit('offer', i));
    t.on('request', (r) => this.emit('request', r));
    t.on('update', (i) => this.emit('update', i));
    this.transfers = t;
    return Promise.resolve();
  }

  handleControl(message: ControlMessage): void {
    this.transfers?.handleControl(message);
  }

  handleData(channel: LogicalChannel, bytes: Uint8Array): void {
    this.transfers?.handleData(channel, bytes);
  }

  /** Accept: the folder is created when missing (a fresh account may have no Downloads folder yet). */
  async accept(transferId: string, folder = this.folderValue): Promise<void> {
    const live = this.live();
    try {
      await mkdir(folder, { recursive: true });
    } catch {
      // the sink's open fails next and the transfer ends with write-failed, which the UI shows
    }
    return live.accept(transferId, new FolderSink(folder));
  }

  refuse(transferId: string): void {
    this.live().refuse(transferId);
  }

  cancel(transferId: string): void {
    this.live().cancel(transferId);
  }

  async sendFile(filePath: string): Promise<TransferInfo> {
    return this.send(await nodeFileSource(filePath));
  }

  /** Offers `source` to the technician; throws FileTransferError (policy) after closing the source. */
  async send(source: FileSource): Promise<TransferInfo> {
    try {
      return this.live().send(source);
    } catch (err) {
      await source.close?.();
      throw err;
    }
  }

  get maySend(): boolean {
    return this.transfers?.maySend ?? false;
  }

  list(): TransferInfo[] {
    return this.transfers?.list() ?? [];
  }

  stop(): Promise<void> {
    this.transfers?.handleEnded();
    return Promise.resolve();
  }

  private live(): FileTransfers {
    if (!this.transfers) throw new InvariantError('no session');
    return this.transfers;
  }
}
