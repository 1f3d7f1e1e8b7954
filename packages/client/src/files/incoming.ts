import { createSha256, InvariantError, type FileChunk, type StreamingHash } from '@fernhilfe/protocol';
import { RateMeter, withProgress } from './rate.js';
import type { FileDirection, FilePort, FileSink, TransferFailure, TransferInfo, TransferState } from './types.js';

export interface IncomingOptions {
  port: FilePort;
  direction: FileDirection;
  /** the safe name (safeFileName of the offer's name) */
  name: string;
  size: number;
  mime?: string;
  changed: (info: TransferInfo) => void;
  createHash?: () => StreamingHash;
  finished: (info: TransferInfo, local: boolean) => void;
}

/**
 * The receiving half of one transfer:
 *
 *   offered --accept(sink)--> receiving --file-complete + every byte written--> verifying
 *   verifying --hash equal: sink.commit()--> completed      verifying --hash differs: sink.abort()--> failed
 *   offered --refuse()--> refused
 *   offered | receiving | verifying --cancel / file-cancel / write error / session end: sink.abort()--> cancelled | failed
 *
 * Chunks must arrive in order (the session guarantees it, also across a resumed connection). A gap
 * (a chunk beyond the next expected offset) is answered once with file-resume{from: expected}; chunks
 * are dropped until the expected one comes. Each chunk is hashed on arrival and written in order;
 * file-ack{offset} follows a finished write when ACK_EVERY bytes are unacknowledged or no other write
 * is waiting (so a sender that waits for its window always hears back).
 */
/** At most this many bytes are written before the sender hears of them while more writes wait (fewer control messages). */
export const ACK_EVERY = 1024 * 1024;

export class IncomingTransfer {
  private stateValue: TransferState = 'offered';
  private sink: FileSink | undefined;
  private expected = 0;
  private written = 0;
  private askedFrom: number | undefined;
  private writes: Promise<void> = Promise.resolve();
  /** chunks handed to the sink and not yet written */
  private queued = 0;
  /** the last offset told to the sender in a file-ack */
  private acked = 0;
  private readonly hash: StreamingHash;
  private claimed: string | undefined;
  private finalName: string | undefined;
  private failure: TransferFailure | undefined;
  private readonly rate = new RateMeter();

  constructor(
    readonly transferId: string,
    private readonly opts: IncomingOptions,
  ) {
    this.hash = (opts.createHash ?? createSha256)();
  }

  get state(): TransferState {
    return this.stateValue;
  }

  info(): TransferInfo {
    const info = withProgress(
      {
        transferId: this.transferId,
        direction: this.opts.direction,
        outgoing: false,
        name: this.finalName ?? this.opts.name,
        size: this.opts.size,
        state: this.stateValue,
        transferred: this.written,
        sentBytes: 0,
      },
      this.rate,
      this.stateValue === 'receiving',
    );
    if (this.opts.mime) info.mime = this.opts.mime;
    if (this.claimed && this.stateValue === 'completed') info.sha256 = this.claimed;
    if (this.failure) info.reason = this.failure;
    return info;
  }

  isActive(): boolean {
    return this.stateValue === 'offered' || this.stateValue === 'receiving' || this.stateValue === 'verifying';
  }

  /** The person said yes: open the sink, then tell the sender to start. */
  async accept(sink: FileSink): Promise<void> {
    if (this.stateValue !== 'offered') throw new InvariantError(`cannot accept a transfer that is ${this.stateValue}`);
    this.sink = sink;
    this.stateValue = 'receiving';
    try {
      await sink.open(this.opts.name, this.opts.size);
    } catch {
      return this.fail('write-failed', true);
    }
    if (this.stateValue !== 'receiving') return void sink.abort();
    this.rate.add(0);
    this.opts.changed(this.info());
    await this.opts.port.sendControl({ type: 'file-accept', transferId: this.transferId });
    this.maybeVerify(); // an empty file is complete at once
  }

  refuse(reason: TransferFailure = 'refused'): void {
    if (this.stateValue !== 'offered') return;
    const wire = reason === 'too-large' || reason === 'not-allowed' ? reason : 'refused';
    void this.opts.port.sendControl({ type: 'file-refuse', transferId: this.transferId, reason: wire }).catch(() => undefined);
    this.end('refused', reason, true);
  }

  handleChunk(chunk: FileChunk): void {
    if (this.stateValue !== 'receiving') return; // late chunks of a cancelled transfer, or before accept
    const { offset, bytes } = chunk;
    if (offset !== this.expected) {
      if (offset < this.expected) return; // a chunk sent again after a file-resume that we already have
      if (this.askedFrom !== this.expected) {
        this.askedFrom = this.expected;
        void this.opts.port.sendControl({ type: 'file-resume', transferId: this.transferId, from: this.expected }).catch(() => undefined);
      }
      return;
    }
    if (offset + bytes.length > this.opts.size) return this.fail('protocol-error', true);
    this.askedFrom = undefined;
    this.expected = offset + bytes.length;
    this.hash.update(bytes);
    const sink = this.sink!;
    this.queued++;
    this.writes = this.writes.then(async () => {
      this.queued--;
      if (this.stateValue !== 'receiving' && this.stateValue !== 'verifying') return;
      try {
        await sink.write(offset, bytes);
      } catch {
        return this.fail('write-failed', true);
      }
      this.written = offset + bytes.length;
      this.rate.add(this.written);
      this.opts.changed(this.info());
      if (this.queued === 0 || this.written - this.acked >= ACK_EVERY || this.written === this.opts.size) {
        this.acked = this.written;
        await this.opts.port.sendControl({ type: 'file-ack', transferId: this.transferId, offset: this.written }).catch(() => undefined);
      }
      this.maybeVerify();
    });
  }

  handleComplete(sha256: string): void {
    if (this.stateValue !== 'receiving') return;
    this.claimed = sha256;
    this.maybeVerify();
  }

  handleCancel(reason: TransferFailure): void {
    if (!this.isActive()) return;
    this.end(reason.startsWith('cancelled') ? 'cancelled' : 'failed', reason, false);
  }

  cancel(reason: TransferFailure): void {
    if (!this.isActive()) return;
    if (this.stateValue === 'offered') return this.refuse('refused');
    void this.opts.port.sendControl({ type: 'file-cancel', transferId: this.transferId, reason: 'cancelled' }).catch(() => undefined);
    this.end('cancelled', reason, true);
  }

  abandon(): void {
    if (this.isActive()) this.end('failed', 'session-ended', true);
  }

  private maybeVerify(): void {
    if (this.stateValue !== 'receiving' || this.claimed === undefined || this.written !== this.opts.size || this.expected !== this.opts.size) return;
    this.stateValue = 'verifying';
    this.opts.changed(this.info());
    const actual = this.hash.hex();
    if (actual !== this.claimed) return this.fail('hash-mismatch', true);
    void this.sink!.commit().then(
      async (finalName) => {
        if (this.stateValue !== 'verifying') return;
        this.finalName = finalName;
        await this.opts.port.sendControl({ type: 'file-verified', transferId: this.transferId, sha256: actual }).catch(() => undefined);
        this.end('completed', undefined, true);
      },
      () => this.fail('write-failed', true),
    );
  }

  private fail(reason: TransferFailure, tellPeer: boolean): void {
    if (!this.isActive()) return;
    const wire = reason === 'hash-mismatch' ? 'hash-mismatch' : reason === 'protocol-error' ? 'protocol-error' : 'write-failed';
    if (tellPeer) void this.opts.port.sendControl({ type: 'file-cancel', transferId: this.transferId, reason: wire }).catch(() => undefined);
    this.end('failed', reason, true);
  }

  private end(state: TransferState, reason: TransferFailure | undefined, local: boolean): void {
    this.stateValue = state;
    this.failure = reason;
    if (state !== 'completed' && this.sink) void this.sink.abort().catch(() => undefined);
    const info = this.info();
    this.opts.changed(info);
    this.opts.finished(info, local);
  }
}
