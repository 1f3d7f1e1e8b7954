import { LogicalChannel, allocFileChunk, createSha256, encodeFileChunk, fileChunkHeaderLength, type StreamingHash } from '@fernhilfe/protocol';
import { RateMeter, withProgress } from './rate.js';
import type { FileDirection, FilePort, FileSource, TransferFailure, TransferInfo, TransferState } from './types.js';

export interface OutgoingOptions {
  port: FilePort;
  direction: FileDirection;
  chunkSize: number;
  windowBytes: number;
  changed: (info: TransferInfo) => void;
  createHash?: () => StreamingHash;
  /** the transfer reached an end state; `local` when this side decided it */
  finished: (info: TransferInfo, local: boolean) => void;
}

/**
 * The sending half of one transfer:
 *
 *   offered --file-accept--> sending --all chunks sent--> verifying --file-verified--> completed
 *   offered --file-refuse--> refused
 *   offered | sending | verifying --cancel() / file-cancel / error--> cancelled | failed
 *   verifying --file-resume--> sending
 *
 * Chunks are read lazily from the source. At most `windowBytes` are in flight beyond the receiver's
 * last file-ack (backpressure), so neither side ever holds more than the window. The hash is taken
 * while reading, each byte once, even if a file-resume makes chunks go out again.
 */
export class OutgoingTransfer {
  private stateValue: TransferState = 'offered';
  private acked = 0;
  private next = 0;
  private hashed = 0;
  private sent = 0;
  private readonly hash: StreamingHash;
  private digest: string | undefined;
  private wake: (() => void) | undefined;
  private pumping = false;
  /** bumped by a file-resume so that a chunk read before it is not sent */
  private generation = 0;
  private failure: TransferFailure | undefined;
  private readonly rate = new RateMeter();

  constructor(
    readonly transferId: string,
    private readonly source: FileSource,
    private readonly opts: OutgoingOptions,
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
        outgoing: true,
        name: this.source.name,
        size: this.source.size,
        state: this.stateValue,
        transferred: this.acked,
        sentBytes: this.sent,
      },
      this.rate,
      this.stateValue === 'sending',
    );
    if (this.source.mime) info.mime = this.source.mime;
    if (this.digest) info.sha256 = this.digest;
    if (this.failure) info.reason = this.failure;
    return info;
  }

  handleAccept(): void {
    if (this.stateValue !== 'offered') return;
    this.stateValue = 'sending';
    this.rate.add(0);
    this.opts.changed(this.info());
    void this.pump();
  }

  handleRefuse(reason: TransferFailure): void {
    if (this.stateValue !== 'offered') return;
    this.end('refused', reason, false);
  }

  handleAck(offset: number): void {
    if (this.stateValue !== 'sending' && this.stateValue !== 'verifying') return;
    if (offset < this.acked || offset > this.next) return this.fail('protocol-error', true);
    this.acked = offset;
    this.rate.add(offset);
    this.opts.changed(this.info());
    this.wake?.();
  }

  /** The receiver lacks bytes from `from` on (a transport that lost chunks): go on from there. */
  handleResume(from: number): void {
    if (this.stateValue !== 'sending' && this.stateValue !== 'verifying') return;
    if (from < this.acked || from > this.next) return this.fail('protocol-error', true);
    this.generation++;
    this.next = from;
    if (this.stateValue === 'verifying') this.stateValue = 'sending';
    this.wake?.();
    void this.pump();
  }

  handleVerified(sha256: string): void {
    if (this.stateValue !== 'verifying') return;
    if (sha256 !== this.digest) return this.fail('hash-mismatch', true);
    this.acked = this.source.size;
    this.end('completed', undefined, false);
  }

  /** The peer cancelled or failed (`reason` already mapped to who and why). */
  handleCancel(reason: TransferFailure): void {
    if (this.stateValue === 'completed' || this.stateValue === 'refused' || this.stateValue === 'cancelled' || this.stateValue === 'failed') return;
    this.end(reason.startsWith('cancelled') ? 'cancelled' : 'failed', reason, false);
  }

  /** Cancelled here: the receiver is told and deletes what it has. */
  cancel(reason: TransferFailure): void {
    if (!this.isActive()) return;
    void this.opts.port.sendControl({ type: 'file-cancel', transferId: this.transferId, reason: 'cancelled' }).catch(() => undefined);
    this.end('cancelled', reason, true);
  }

  /** The session ended: nothing can be sent any more. */
  abandon(): void {
    if (this.isActive()) this.end('failed', 'session-ended', true);
  }

  isActive(): boolean {
    return this.stateValue === 'offered' || this.stateValue === 'sending' || this.stateValue === 'verifying';
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const size = this.source.size;
      const max = this.opts.chunkSize;
      // reading the next chunk overlaps with sealing the last ones (the session keeps call order; a few
      // seals in flight keep WebCrypto's thread pool busy while this thread reads and hashes)
      const queued: Promise<void>[] = [];
      while (this.stateValue === 'sending' && this.next < size) {
        if (this.next - this.acked >= this.opts.windowBytes) {
          await new Promise<void>((r) => (this.wake = r));
          this.wake = undefined;
          continue;
        }
        const offset = this.next;
        const generation = this.generation;
        const length = Math.min(max, size - offset);
        const { frame, bytes } = await this.read(offset, length);
        if (this.stateValue !== 'sending' || generation !== this.generation) continue;
        if (bytes.length !== length) return this.fail('read-failed', true);
        if (offset + length > this.hashed && offset <= this.hashed) {
          this.hash.update(bytes.subarray(this.hashed - offset));
          this.hashed = offset + length;
        }
        this.next = offset + length;
        const sending = this.opts.port.sendData(LogicalChannel.files, frame ?? encodeFileChunk({ transferId: this.transferId, offset, bytes }));
        sending.catch(() => undefined); // awaited below; a transfer that ends meanwhile must not leave it unhandled
        queued.push(sending);
        this.sent += length;
        if (queued.length >= SEALS_IN_FLIGHT) await queued.shift();
      }
      await Promise.all(queued);
      if (this.stateValue === 'sending' && this.next >= size) {
        this.digest ??= this.hash.hex();
        this.stateValue = 'verifying';
        this.opts.changed(this.info());
        await this.opts.port.sendControl({ type: 'file-complete', transferId: this.transferId, sha256: this.digest });
      }
    } catch {
      // a read that failed, or the session ended under us
      if (this.isActive()) this.fail('read-failed', true);
    } finally {
      this.pumping = false;
    }
  }

  /** One chunk's bytes; with `readInto` read straight into the frame that is sent (one copy fewer). */
  private async read(offset: number, length: number): Promise<{ frame?: Uint8Array; bytes: Uint8Array }> {
    if (!this.source.readInto) return { bytes: await this.source.readChunk(offset, length) };
    const { frame, data } = allocFileChunk(this.transferId, offset, length);
    const got = await this.source.readInto(offset, data);
    return got === length ? { frame, bytes: data } : { bytes: data.subarray(0, got) };
  }

  private fail(reason: TransferFailure, tellPeer: boolean): void {
    if (!this.isActive()) return;
    const wire = reason === 'hash-mismatch' ? 'hash-mismatch' : reason === 'protocol-error' ? 'protocol-error' : 'read-failed';
    if (tellPeer) void this.opts.port.sendControl({ type: 'file-cancel', transferId: this.transferId, reason: wire }).catch(() => undefined);
    this.end('failed', reason, true);
  }

  private end(state: TransferState, reason: TransferFailure | undefined, local: boolean): void {
    this.stateValue = state;
    this.failure = reason;
    this.wake?.();
    void this.source.close?.().catch(() => undefined);
    const info = this.info();
    this.opts.changed(info);
    this.opts.finished(info, local);
  }
}

/** chunks handed to the session whose sealing may still run while the next is read */
const SEALS_IN_FLIGHT = 3;

/** The largest chunk that still fits the session's 1 MiB frame limit. */
export const maxChunkSize = (transferId: string): number => 1024 * 1024 - 1 - fileChunkHeaderLength(transferId);
