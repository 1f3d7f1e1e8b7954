import {
  LogicalChannel,
  decodeFileChunk,
  newTransferId,
  safeFileName,
  type ControlMessage,
  type FileCancelReason,
  type Role,
  type SessionReport,
} from '@fernhilfe/protocol';
import { Emitter } from '@fernhilfe/protocol';
import { FileTransferError } from '../errors.js';
import { IncomingTransfer } from './incoming.js';
import { OutgoingTransfer, maxChunkSize } from './outgoing.js';
import { OPEN_POLICY, type FileDirection, type FilePolicy, type FileSink, type FileSource, type FileTransferOptions, type TransferFailure, type TransferInfo } from './types.js';

export const DEFAULT_CHUNK_SIZE = 512 * 1024;
export const DEFAULT_WINDOW_CHUNKS = 16;

export interface FileTransferEvents extends Record<string, unknown> {
  /** the peer offers a file: ask the person (accept(id, sink) or refuse(id)); policy refusals never get here */
  offer: TransferInfo;
  /** the technician asks the customer for a file */
  request: { message: string };
  /** any change of any transfer (progress, state) */
  update: TransferInfo;
}

type FileMessage = Extract<ControlMessage, { type: `file-${string}` }>;
type Handlers = { [K in FileMessage['type']]: (m: Extract<FileMessage, { type: K }>) => void };

const other = (role: Role): Role => (role === 'customer' ? 'technician' : 'customer');
const directionFrom = (sender: Role): FileDirection => (sender === 'technician' ? 'to-customer' : 'to-technician');

/**
 * Every file transfer of one session, both directions. Isomorphic: the bytes come from a FileSource
 * and go to a FileSink that the platform provides (Node files in the agent, Blob / File System Access
 * in the browsers). Feed it with handleControl / handleData (bindFileTransfers does that for a
 * SecureSession); it talks back through the FilePort. Audit: the sender reports `file-offered`, the
 * receiver reports how the transfer ended (accepted, refused, completed, failed).
 */
export class FileTransfers extends Emitter<FileTransferEvents> {
  private readonly outgoing = new Map<string, OutgoingTransfer>();
  private readonly incoming = new Map<string, IncomingTransfer>();
  private readonly order: string[] = [];
  private policyValue: FilePolicy;
  private readonly chunkSize: number;
  private readonly windowBytes: number;
  private readonly handlers: Handlers;

  constructor(private readonly opts: FileTransferOptions) {
    super();
    this.policyValue = opts.policy ?? OPEN_POLICY;
    this.chunkSize = Math.max(1024, Math.min(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, maxChunkSize('0'.repeat(32))));
    this.windowBytes = Math.max(this.chunkSize, opts.windowBytes ?? DEFAULT_WINDOW_CHUNKS * this.chunkSize);
    this.handlers = {
      'file-offer': (m) => this.onOffer(m),
      'file-accept': (m) => this.out(m.transferId)?.handleAccept(),
      'file-refuse': (m) => this.out(m.transferId)?.handleRefuse(m.reason),
      'file-request': (m) => (this.opts.role === 'customer' ? this.emit('request', { message: m.message }) : undefined),
      'file-ack': (m) => this.out(m.transferId)?.handleAck(m.offset),
      'file-complete': (m) => this.in(m.transferId)?.handleComplete(m.sha256),
      'file-verified': (m) => this.out(m.transferId)?.handleVerified(m.sha256),
      'file-cancel': (m) => {
        const reason = this.peerReason(m.reason);
        this.out(m.transferId)?.handleCancel(reason);
        this.in(m.transferId)?.handleCancel(reason);
      },
      'file-resume': (m) => this.out(m.transferId)?.handleResume(m.from),
    } satisfies Handlers;
  }

  get policy(): FilePolicy {
    return this.policyValue;
  }

  /** The server's file policy arrived (or changed); it applies to transfers offered from now on. */
  setPolicy(policy: FilePolicy): void {
    this.policyValue = policy;
  }

  /** Whether this side may send at all under the policy. */
  get maySend(): boolean {
    return this.policyValue.maxBytes > 0 && this.policyValue.directions.includes(directionFrom(this.opts.role));
  }

  /** Offers a file to the peer; the transfer starts when the peer accepts. Throws FileTransferError. */
  send(source: FileSource): TransferInfo {
    const direction = directionFrom(this.opts.role);
    if (!this.policyValue.directions.includes(direction)) throw new FileTransferError('not-allowed', `files ${direction} are not allowed`);
    if (source.size > this.policyValue.maxBytes) throw new FileTransferError('too-large', `the file is larger than ${this.policyValue.maxBytes} bytes`);
    const transferId = newTransferId();
    const name = safeFileName(source.name);
    const readInto = source.readInto ? (o: number, target: Uint8Array) => source.readInto!(o, target) : undefined;
    const wrapped: FileSource = { ...source, name, readChunk: (o, l) => source.readChunk(o, l), close: () => source.close?.() ?? Promise.resolve(), ...(readInto ? { readInto } : {}) };
    const t = new OutgoingTransfer(transferId, wrapped, {
      port: this.opts.port,
      direction,
      chunkSize: this.chunkSize,
      windowBytes: this.windowBytes,
      changed: (info) => this.emit('update', info),
      finished: () => undefined,
      ...(this.opts.createHash ? { createHash: this.opts.createHash } : {}),
    });
    this.outgoing.set(transferId, t);
    this.order.push(transferId);
    const offer: ControlMessage = { type: 'file-offer', transferId, name, size: source.size, from: this.opts.role };
    if (source.mime) offer.mime = source.mime.slice(0, 255);
    void this.opts.port.sendControl(offer).catch(() => t.abandon());
    this.report({ event: 'file-offered', transferId, direction, name, size: source.size });
    const info = t.info();
    this.emit('update', info);
    return info;
  }

  /** The person accepted an offered file; bytes go to `sink`. */
  accept(transferId: string, sink: FileSink): Promise<void> {
    const t = this.in(transferId);
    if (!t) return Promise.reject(new FileTransferError('unknown-transfer', 'no such offer'));
    const { direction, name, size } = t.info();
    if (t.state === 'offered') this.report({ event: 'file-accepted', transferId, direction, name, size });
    return t.accept(sink);
  }

  refuse(transferId: string): void {
    this.in(transferId)?.refuse('refused');
  }

  /** Either side, any time before the end; the receiver deletes what it has. */
  cancel(transferId: string): void {
    const reason: TransferFailure = `cancelled-by-${this.opts.role}`;
    this.out(transferId)?.cancel(reason);
    this.in(transferId)?.cancel(reason);
  }

  /** The technician asks the customer for a file (the customer decides what to send). */
  request(message: string): Promise<void> {
    return this.opts.port.sendControl({ type: 'file-request', message: message.slice(0, 1000) });
  }

  /** Handles the file-* control messages; returns false for any other message. */
  handleControl(message: ControlMessage): boolean {
    if (!message.type.startsWith('file-')) return false;
    const handler = this.handlers[message.type as FileMessage['type']] as (m: FileMessage) => void;
    handler(message as FileMessage);
    return true;
  }

  handleData(channel: LogicalChannel, bytes: Uint8Array): void {
    if (channel !== LogicalChannel.files) return;
    const chunk = decodeFileChunk(bytes);
    if (!chunk.ok) return; // a broken chunk from an authenticated peer: the transfer will stall and can be cancelled
    this.in(chunk.value.transferId)?.handleChunk(chunk.value);
  }

  /** The session is over: every transfer still running fails and leaves nothing behind. */
  handleEnded(): void {
    for (const t of this.outgoing.values()) t.abandon();
    for (const t of this.incoming.values()) t.abandon();
  }

  list(): TransferInfo[] {
    return this.order.map((id) => (this.outgoing.get(id) ?? this.incoming.get(id))!.info());
  }

  get(transferId: string): TransferInfo | undefined {
    return (this.outgoing.get(transferId) ?? this.incoming.get(transferId))?.info();
  }

  private onOffer(m: Extract<FileMessage, { type: 'file-offer' }>): void {
    if (m.from !== other(this.opts.role) || this.incoming.has(m.transferId) || this.outgoing.has(m.transferId)) return;
    const direction = directionFrom(m.from);
    const name = safeFileName(m.name);
    const file = { transferId: m.transferId, direction, name, size: m.size };
    const t: IncomingTransfer = new IncomingTransfer(m.transferId, {
      port: this.opts.port,
      direction,
      name,
      size: m.size,
      ...(m.mime ? { mime: m.mime } : {}),
      changed: (info) => this.emit('update', info),
      finished: (info) => this.reportEnd(file, info),
      ...(this.opts.createHash ? { createHash: this.opts.createHash } : {}),
    });
    this.incoming.set(m.transferId, t);
    this.order.push(m.transferId);
    if (!this.policyValue.directions.includes(direction)) return t.refuse('not-allowed');
    if (m.size > this.policyValue.maxBytes) return t.refuse('too-large');
    const info = t.info();
    this.emit('update', info);
    this.emit('offer', info);
  }

  /** The receiver's report of how it ended (accepted is reported when the person says yes). */
  private reportEnd(file: { transferId: string; direction: FileDirection; name: string; size: number }, info: TransferInfo): void {
    if (info.state === 'completed') return this.report({ event: 'file-completed', ...file, name: info.name.slice(0, 255), sha256: info.sha256! });
    if (info.reason === 'refused') return this.report({ event: 'file-refused', ...file });
    const r = info.reason;
    const reason = r === undefined || r === 'read-failed' || r === 'protocol-error' ? (`cancelled-by-${other(this.opts.role)}` as const) : r;
    this.report({ event: 'file-failed', ...file, reason });
  }

  private report(report: SessionReport): void {
    try {
      this.opts.port.report?.(report);
    } catch {
      // the audit report is best effort from here; the server records what reaches it
    }
  }

  private peerReason(wire: FileCancelReason): TransferFailure {
    return wire === 'cancelled' ? `cancelled-by-${other(this.opts.role)}` : wire;
  }

  private out(id: string): OutgoingTransfer | undefined {
    return this.outgoing.get(id);
  }

  private in(id: string): IncomingTransfer | undefined {
    return this.incoming.get(id);
  }
}
