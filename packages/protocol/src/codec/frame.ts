import { ProtocolError } from '../errors.js';

/**
 * Outer framing between an endpoint and the server. The transport is treated as a byte stream
 * (a WebSocket message may hold part of a frame, one frame or several):
 *
 *   u32 length (big endian, counts kind + body) | u8 kind | body
 *
 * kind CONTROL: UTF-8 JSON, a message to or from the server (schemas in ../messages).
 * kind PEER:    opaque bytes for the paired endpoint; the server forwards them unread.
 */
export const FrameKind = { control: 0x01, peer: 0x02 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export interface Frame {
  kind: FrameKind;
  body: Uint8Array;
}

/** Largest body a frame may carry: a 1 MiB payload plus room for the channel's headers. */
export const MAX_FRAME_BODY = 1024 * 1024 + 256;
const HEADER = 5;
/** A body buffer starts this small (or as large as the bytes at hand) and doubles as bytes arrive. */
const FIRST_BODY_BUFFER = 4 * 1024;

export function encodeFrame(kind: FrameKind, body: Uint8Array): Uint8Array {
  if (body.length > MAX_FRAME_BODY) throw ProtocolError.tooLarge(body.length, MAX_FRAME_BODY);
  const out = new Uint8Array(HEADER + body.length);
  new DataView(out.buffer).setUint32(0, body.length + 1);
  out[4] = kind;
  out.set(body, HEADER);
  return out;
}

function checkKind(kind: number): FrameKind {
  if (kind !== FrameKind.control && kind !== FrameKind.peer) {
    throw ProtocolError.malformed(`unknown frame kind 0x${kind.toString(16)}`);
  }
  return kind;
}

/**
 * Reassembles frames from arbitrarily split chunks. Copies each byte about once (at most twice while
 * a large body's buffer doubles), whatever the split, so a transport that delivers one byte per
 * message costs no more than one that delivers whole frames. Memory grows with the bytes received,
 * not with what a header claims: a 5-byte header announcing 1 MiB costs a small buffer, not 1 MiB.
 * After it throws, the stream is unusable: the caller closes the connection.
 */
export class FrameDecoder {
  private readonly header = new Uint8Array(HEADER);
  private headerFill = 0;
  private body: Uint8Array | undefined;
  private bodyLength = 0;
  private bodyFill = 0;
  private kind: FrameKind = FrameKind.control;
  private failed = false;

  constructor(private readonly maxBody = MAX_FRAME_BODY) {}

  /** Feeds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    if (this.failed) throw ProtocolError.malformed('stream already failed');
    const frames: Frame[] = [];
    let at = 0;
    try {
      while (at < chunk.length) {
        if (this.body === undefined) {
          const take = Math.min(HEADER - this.headerFill, chunk.length - at);
          this.header.set(chunk.subarray(at, at + take), this.headerFill);
          this.headerFill += take;
          at += take;
          if (this.headerFill < HEADER) break;
          this.startBody(chunk.length - at);
        }
        const take = Math.min(this.bodyLength - this.bodyFill, chunk.length - at);
        const body = this.room(this.bodyFill + take);
        body.set(chunk.subarray(at, at + take), this.bodyFill);
        this.bodyFill += take;
        at += take;
        if (this.bodyFill === this.bodyLength) {
          frames.push({ kind: this.kind, body });
          this.body = undefined;
          this.headerFill = 0;
        }
      }
    } catch (err) {
      this.failed = true;
      throw err;
    }
    return frames;
  }

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.body === undefined && this.headerFill === 0;
  }

  private startBody(available: number): void {
    const length = new DataView(this.header.buffer).getUint32(0);
    if (length < 1) throw ProtocolError.malformed('empty frame');
    const bodyLength = length - 1;
    if (bodyLength > this.maxBody) throw ProtocolError.tooLarge(bodyLength, this.maxBody);
    this.kind = checkKind(this.header[4]!);
    this.bodyLength = bodyLength;
    this.body = new Uint8Array(Math.min(bodyLength, Math.max(FIRST_BODY_BUFFER, available)));
    this.bodyFill = 0;
  }

  /** The body buffer, grown (doubling, at most to the frame's length) to hold `needed` bytes. */
  private room(needed: number): Uint8Array {
    const body = this.body!;
    if (needed <= body.length) return body;
    const grown = new Uint8Array(Math.min(this.bodyLength, Math.max(needed, body.length * 2)));
    grown.set(body.subarray(0, this.bodyFill));
    this.body = grown;
    return grown;
  }
}
