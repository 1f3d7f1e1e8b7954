import type { WebSocket } from 'ws';
import type { Socket } from 'node:net';
import { FrameDecoder, FrameKind, ProtocolError, encodeFrame, encodeJson, type EndReason, type Frame, type ServerMessage } from '@fernhilfe/protocol';
import type { Logger } from '../logger.js';

/** WebSocket close codes we use. */
export const CloseCode = { normal: 1000, goingAway: 1001, policy: 1008, tooBig: 1009, internal: 1011, serviceRestart: 1012, tryAgainLater: 1013 } as const;

/** Above this many bytes queued towards an endpoint, the sender's socket stops being read. */
export const HIGH_WATER = 4 * 1024 * 1024;

export interface EndpointHandlers {
  onControl(body: Uint8Array): void;
  onPeer(body: Uint8Array): void;
  onClose(): void;
  /**
   * The connection cannot carry the session any more, for a reason both people should read (a
   * cross-node link overflowed); without this handler the connection just closes.
   */
  onFail?(reason: EndReason): void;
}

/** Something whose reading can be paused while its peer's queue drains. */
export interface Pausable {
  /** reading is paused now (a throttle is in effect) */
  readonly paused: boolean;
  /** Stops reading from this connection until `until` settles (called by the peer's throttle). */
  pauseWhile(until: Promise<void>): void;
}

/**
 * One endpoint's connection as the broker sees it: on this node a WebSocket (`WsEndpoint`), or, with
 * several nodes, a connection another node holds and forwards over the cluster bus (cluster/).
 */
export interface Endpoint extends Pausable {
  readonly ip: string;
  readonly log: Logger;
  readonly isOpen: boolean;
  attach(handlers: EndpointHandlers): void;
  sendControl(message: ServerMessage): void;
  sendPeer(body: Uint8Array): void;
  /** Stops reading from `source` until this endpoint's queue has drained (backpressure end to end). */
  throttle(source: Pausable): void;
  /** Closes with a reason a person can read. */
  close(code: number, reason: string): void;
  /** A connection that breaks the framing rules is told why and closed; nothing else is affected. */
  reject(error: ProtocolError): void;
}

/**
 * One WebSocket connection of an endpoint: reassembles frames from the byte stream, sends control
 * messages and peer frames, and applies backpressure. It knows nothing about sessions.
 */
export class WsEndpoint implements Endpoint {
  private readonly decoder = new FrameDecoder();
  private closed = false;
  private handlers: EndpointHandlers | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly ip: string,
    readonly log: Logger,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('close', () => this.finish());
    ws.on('error', (err) => log.debug({ err: err.message }, 'websocket error'));
  }

  attach(handlers: EndpointHandlers): void {
    this.handlers = handlers;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  sendControl(message: ServerMessage): void {
    this.sendFrame(FrameKind.control, encodeJson(message));
  }

  sendPeer(body: Uint8Array): void {
    this.sendFrame(FrameKind.peer, body);
  }

  /** Stops reading from `source` until this endpoint's queue has drained (TCP backpressure end to end). */
  throttle(source: Pausable): void {
    if (this.ws.bufferedAmount < HIGH_WATER || this.closed || source.paused) return;
    source.pauseWhile(this.drained());
  }

  get paused(): boolean {
    return this.socket()?.isPaused() ?? false;
  }

  pauseWhile(until: Promise<void>): void {
    const socket = this.socket();
    if (!socket || socket.isPaused()) return;
    socket.pause();
    void until.finally(() => socket.resume());
  }

  /** Handles a control message as if it had just arrived here (a connection handed back by another node, cluster/). */
  receiveControl(body: Uint8Array): void {
    if (!this.closed) this.handlers?.onControl(body);
  }

  /** Bytes queued towards this endpoint and not yet written to its socket. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** Resolves once this endpoint's queue is below the high-water mark again, or it closed. */
  private drained(): Promise<void> {
    const socket = this.socket();
    return new Promise((resolve) => {
      if (!socket) return resolve();
      const check = () => {
        if (this.ws.bufferedAmount < HIGH_WATER || this.closed) resolve();
        else socket.once('drain', check);
      };
      socket.once('drain', check);
      socket.once('close', () => resolve());
    });
  }

  /** Closes with a reason a person can read in the client's error (max 123 bytes by the WebSocket rules). */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, truncateUtf8(reason, 123));
    this.finish();
    // a peer that does not answer the close handshake is cut off
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private socket(): Socket | undefined {
    return (this.ws as unknown as { _socket?: Socket })._socket;
  }

  private sendFrame(kind: FrameKind, body: Uint8Array): void {
    if (this.closed) return;
    this.ws.send(encodeFrame(kind, body));
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary) {
      this.reject(ProtocolError.malformed('text messages are not part of the protocol'));
      return;
    }
    let frames: Frame[];
    try {
      frames = this.decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      this.reject(err instanceof ProtocolError ? err : ProtocolError.malformed(String(err)));
      return;
    }
    for (const frame of frames) {
      if (this.closed || !this.handlers) return;
      if (frame.kind === FrameKind.control) this.handlers.onControl(frame.body);
      else this.handlers.onPeer(frame.body);
    }
  }

  /** A connection that breaks the framing rules is told why and closed; nothing else is affected. */
  reject(error: ProtocolError): void {
    this.log.info({ reason: error.reason, detail: error.message }, 'closing connection: bad input');
    const code = error.reason === 'too-large' ? CloseCode.tooBig : CloseCode.policy;
    this.sendControl({ type: 'error', code: error.reason === 'too-large' ? 'too-large' : 'bad-message', message: error.message.slice(0, 500) });
    this.close(code, error.message);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose();
  }
}

/** A WebSocket close reason may hold at most 123 bytes of UTF-8. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1);
  return out;
}
