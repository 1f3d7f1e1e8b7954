import { encodeJson, endReasons, type EndReason, type ProtocolError, type ServerMessage } from '@fernhilfe/protocol';
import { CloseCode, HIGH_WATER, type Endpoint, type EndpointHandlers, type Pausable } from '../relay/endpoint.js';
import type { Logger } from '../logger.js';
import type { ClusterBus, LinkEnd } from './bus.js';
import { Op } from './bus-codec.js';

/** PEER bytes accepted from the other node after asking it to pause, before the link gives up. */
export const PAUSED_LIMIT_BYTES = 2 * HIGH_WATER;

/**
 * On the home node (the one that holds the session): an endpoint whose WebSocket another node holds.
 * The broker and the live pairing use it like a local connection; frames go over the cluster bus,
 * unread. States: open --close() / the other node closes or dies--> closed.
 *
 * Backpressure: `throttle(source)` pauses `source` while the other node reports its socket backed up
 * (`pause` .. `resume`); `pauseWhile()` asks the other node to stop reading from its socket. Frames
 * still in flight are accepted up to PAUSED_LIMIT_BYTES; beyond that the session fails with
 * `relay-overloaded` instead of buffering without bound.
 */
export class RemoteEndpoint implements Endpoint, LinkEnd {
  private handlers: EndpointHandlers | undefined;
  private closed = false;
  /** set while the other node's socket is backed up */
  private backedUp: { promise: Promise<void>; resolve(): void } | undefined;
  private pausing = false;
  private bytesWhilePaused = 0;

  constructor(
    private readonly bus: ClusterBus,
    readonly node: string,
    private readonly link: string,
    readonly ip: string,
    readonly log: Logger,
  ) {}

  get isOpen(): boolean {
    return !this.closed;
  }

  get paused(): boolean {
    return this.pausing;
  }

  attach(handlers: EndpointHandlers): void {
    this.handlers = handlers;
  }

  sendControl(message: ServerMessage): void {
    this.send(Op.control, encodeJson(message));
  }

  sendPeer(body: Uint8Array): void {
    this.send(Op.peer, body);
  }

  throttle(source: Pausable): void {
    if (source.paused) return;
    // the other node's socket is backed up, or publishing to Redis is behind
    if (this.backedUp) source.pauseWhile(this.bus.backedUp ? Promise.all([this.backedUp.promise, this.bus.drained()]).then(() => undefined) : this.backedUp.promise);
    else if (this.bus.backedUp) source.pauseWhile(this.bus.drained());
  }

  pauseWhile(until: Promise<void>): void {
    if (this.pausing || this.closed) return;
    this.pausing = true;
    this.bytesWhilePaused = 0;
    this.send(Op.pause);
    void until.finally(() => {
      this.pausing = false;
      this.send(Op.resume);
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.send(Op.close, Buffer.from(JSON.stringify({ code, reason: reason.slice(0, 200) })));
    this.finish();
  }

  reject(error: ProtocolError): void {
    this.log.info({ reason: error.reason, detail: error.message }, 'closing a forwarded connection: bad input');
    this.sendControl({ type: 'error', code: error.reason === 'too-large' ? 'too-large' : 'bad-message', message: error.message.slice(0, 500) });
    this.close(error.reason === 'too-large' ? CloseCode.tooBig : CloseCode.policy, error.message);
  }

  /**
   * The connection asked for an ID that a third node holds: the node with the WebSocket hands it
   * there itself (no second hop), and this stand-in is gone.
   */
  redirect(node: string, first: Uint8Array): void {
    if (this.closed) return;
    this.send(Op.redirect, Buffer.from(JSON.stringify({ node, first: Buffer.from(first).toString('utf8') })));
    this.finish();
  }

  /** Handles a message the broker should see first (the one that named the ID on the other node). */
  deliverControl(body: Uint8Array): void {
    if (!this.closed) this.handlers?.onControl(body);
  }

  onBusMessage(op: Op, body: Buffer): void {
    if (this.closed) return;
    switch (op) {
      case Op.control:
        return this.handlers?.onControl(body);
      case Op.peer:
        if (this.pausing && (this.bytesWhilePaused += body.byteLength) > PAUSED_LIMIT_BYTES) return this.fail('relay-overloaded');
        return this.handlers?.onPeer(body);
      case Op.close:
        return this.finish();
      case Op.pause:
        if (!this.backedUp) {
          let resolve!: () => void;
          const promise = new Promise<void>((r) => (resolve = r));
          this.backedUp = { promise, resolve };
        }
        return;
      case Op.resume:
        return this.unblock();
      case Op.fail: {
        const reason = body.toString('utf8');
        return this.fail((endReasons as readonly string[]).includes(reason) ? (reason as EndReason) : 'relay-overloaded');
      }
      default:
        return;
    }
  }

  /** The node with the WebSocket died: like a dropped connection (a resumable side may come back through another node). */
  onNodeLost(): void {
    this.log.warn({ link: this.link, node: this.node }, 'the node holding this connection died');
    this.finish();
  }

  private fail(reason: EndReason): void {
    this.log.warn({ link: this.link, reason }, 'cross-node link failed');
    if (this.handlers?.onFail) this.handlers.onFail(reason);
    else this.close(CloseCode.internal, reason);
  }

  private send(op: Op, body?: Uint8Array): void {
    if (this.closed) return;
    if (!this.bus.send(this.node, op, this.link, body)) this.finish();
  }

  private unblock(): void {
    const b = this.backedUp;
    this.backedUp = undefined;
    b?.resolve();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.bus.remove(this.link);
    this.unblock();
    this.handlers?.onClose();
  }
}
