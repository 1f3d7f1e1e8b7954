import type { ControlMessage, LogicalChannel, Role, SessionReport, StreamingHash } from '@fernhilfe/protocol';

/** Where the bytes of an outgoing file come from. Read lazily, one chunk at a time: never the whole file. */
export interface FileSource {
  readonly name: string;
  readonly size: number;
  readonly mime?: string;
  /** exactly `length` bytes from `offset` (the manager never asks past the end) */
  readChunk(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional, faster: fills `target` with the bytes from `offset` and resolves with how many it read
   * (fewer only at an unexpected end). The manager then reads straight into the chunk it sends.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
  /** releases the file (closes a descriptor); called once the transfer is over, however it ended */
  close?(): Promise<void>;
}

/**
 * Where an incoming file goes. Bytes go to a temporary place; `commit` gives the file its final name
 * only after the SHA-256 matched; `abort` removes every trace of it. Writes come in offset order,
 * one at a time (the next write starts after the previous one resolved).
 */
export interface FileSink {
  /** `safeName`: the sender's name after safeFileName(); the sink may still pick "name (2).ext" */
  open(safeName: string, size: number): Promise<void>;
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** resolves with the name the file finally has (never overwrites an existing file) */
  commit(): Promise<string>;
  /** deletes the temporary data; must not throw */
  abort(): Promise<void>;
}

/** The part of a SecureSession the manager uses (SessionPort of the agent, plus the audit report). */
export interface FilePort {
  sendControl(message: ControlMessage): Promise<void>;
  sendData(channel: LogicalChannel, bytes: Uint8Array): Promise<void>;
  /** a transfer event for the session's audit trail (to the server; metadata only) */
  report?(report: SessionReport): void;
}

export type FileDirection = 'to-customer' | 'to-technician';

/** What the operator allows (the server's file policy); both endpoints enforce it. */
export interface FilePolicy {
  /** largest file in bytes; 0 = no file transfer at all */
  maxBytes: number;
  directions: readonly FileDirection[];
}

export const OPEN_POLICY: FilePolicy = { maxBytes: Number.MAX_SAFE_INTEGER, directions: ['to-customer', 'to-technician'] };

export type TransferState = 'offered' | 'sending' | 'receiving' | 'verifying' | 'completed' | 'refused' | 'cancelled' | 'failed';
export const isFinished = (s: TransferState): boolean => s === 'completed' || s === 'refused' || s === 'cancelled' || s === 'failed';

/** Why a transfer did not complete; the UIs show it in plain words. */
export type TransferFailure =
  | 'refused'
  | 'cancelled-by-customer'
  | 'cancelled-by-technician'
  | 'hash-mismatch'
  | 'write-failed'
  | 'read-failed'
  | 'too-large'
  | 'not-allowed'
  | 'session-ended'
  | 'protocol-error';

/** A snapshot of one transfer, for the UI's list and progress bar. */
export interface TransferInfo {
  transferId: string;
  direction: FileDirection;
  /** true when this endpoint sends the file */
  outgoing: boolean;
  /** safe name (incoming: after safeFileName; once completed: the final name the file got) */
  name: string;
  size: number;
  mime?: string;
  state: TransferState;
  /** bytes the receiver confirmed written */
  transferred: number;
  /** file bytes this side put into the session (sender), for "no byte twice" checks */
  sentBytes: number;
  bytesPerSecond: number;
  /** undefined while unknown */
  secondsLeft?: number;
  sha256?: string;
  reason?: TransferFailure;
}

export interface FileTransferOptions {
  port: FilePort;
  role: Role;
  policy?: FilePolicy;
  /** bytes per chunk (default 512 KiB; at most 1 MiB minus the chunk header) */
  chunkSize?: number;
  /** most bytes sent beyond the receiver's last file-ack (default 16 chunks: 8 MiB) */
  windowBytes?: number;
  /** incremental SHA-256 (default: @noble/hashes, pure JS; Node endpoints pass node:crypto's, ~10x faster) */
  createHash?: () => StreamingHash;
}
