import { serverMessageSchema } from '@fernhilfe/protocol';
import { CloseCode, HIGH_WATER, type Pausable, type WsEndpoint } from '../relay/endpoint.js';
import type { Logger } from '../logger.js';
import type { LinkEnd } from './bus.js';
import type { ClusterBus } from './bus.js';
import { closeSchema, decodeJsonBody, Op, redirectSchema, type OpenMeta } from './bus-codec.js';

/** Bytes queued towards the WebSocket beyond which the link gives up (the home node ends the session). */
export const OVERFLOW_BYTES = 4 * HIGH_WATER;

/**
 * The node that holds an endpoint's WebSocket, after it handed the connection to the node that holds
 * the session (the *home* node): it forwards every frame both ways, unread, and passes backpressure on.
 *
 *   forwarding --socket closes--> closed (home told `close`)
 *   forwarding --home sends close--> closed (socket closed with the home's code and reason)
 *   forwarding --home node died--> closed (socket closed "service restart" when the session can move, else told `ended{server, server-node-lost}`)
 *   forwarding --this node drained--> closed (socket closed "service restart", home told `close`)
 *
 * Backpressure: above HIGH_WATER queued towards the socket the home is told `pause` (it stops reading
 * from the other endpoint) until it drained; above OVERFLOW_BYTES the link `fail`s with
 * `relay-overloaded`. A `pause` from the home stops reading from this socket until `resume`.
 */
export class ForwardedConnection implements LinkEnd {
  private state: 'forwarding' | 'closed' = 'forwarding';
  private resumeReading: (() => void) | undefined;
  private failed = false;
  /** the home node's side of the backpressure: pausing it means telling it to stop sending */
  private readonly home: Pausable;

  constructor(
    private readonly bus: ClusterBus,
    private readonly endpoint: WsEndpoint,
    readonly node: string,
    private readonly link: string,
    private readonly log: Logger,
    /** hands the connection to another node (a redirect from its home) */
    private readonly rehome: (node: string, first: Uint8Array) => void,
    /** whether the endpoint can resume its session through another node (its home died) */
    private readonly resumable: () => Promise<boolean> = async () => false,
  ) {
    let homePaused = false;
    this.home = {
      get paused() {
        return homePaused;
      },
      pauseWhile: (until) => {
        homePaused = true;
        this.send(Op.pause);
        void until.finally(() => {
          homePaused = false;
          if (this.state === 'forwarding') this.send(Op.resume);
        });
      },
    };
  }

  open(meta: OpenMeta): void {
    this.bus.add(this.link, this);
    this.endpoint.attach({
      onControl: (body) => this.send(Op.control, body),
      onPeer: (body) => {
        this.send(Op.peer, body);
        // Redis is behind: stop reading from this socket until it caught up (no unbounded queue)
        if (this.bus.backedUp && !this.endpoint.paused) this.endpoint.pauseWhile(this.bus.drained());
      },
      onClose: () => {
        if (this.state === 'closed') return;
        this.send(Op.close, Buffer.from(JSON.stringify({ code: CloseCode.goingAway, reason: 'connection closed' })));
        this.finish();
      },
    });
    this.send(Op.open, Buffer.from(JSON.stringify(meta)));
    this.log.info({ link: this.link, home: this.node }, 'connection handed to its home node');
  }

  onBusMessage(op: Op, body: Buffer): void {
    if (this.state === 'closed') return;
    switch (op) {
      case Op.control:
        return this.control(body);
      case Op.peer:
        this.endpoint.sendPeer(body);
        this.endpoint.throttle(this.home);
        if (this.endpoint.bufferedAmount > OVERFLOW_BYTES && !this.failed) {
          this.failed = true;
          this.log.warn({ link: this.link, queued: this.endpoint.bufferedAmount }, 'cross-node link overflowed');
          this.send(Op.fail, Buffer.from('relay-overloaded'));
        }
        return;
      case Op.close: {
        const close = decodeJsonBody(closeSchema, body) ?? { code: CloseCode.internal, reason: 'closed by the home node' };
        this.finish();
        return this.endpoint.close(close.code, close.reason);
      }
      case Op.pause:
        if (!this.resumeReading) this.endpoint.pauseWhile(new Promise<void>((resolve) => (this.resumeReading = resolve)));
        return;
      case Op.resume:
        return this.unpause();
      case Op.redirect: {
        const to = decodeJsonBody(redirectSchema, body);
        this.finish();
        if (!to) return this.endpoint.close(CloseCode.internal, 'bad redirect between server nodes');
        return this.rehome(to.node, Buffer.from(to.first, 'utf8'));
      }
      default:
        return;
    }
  }

  onNodeLost(): void {
    if (this.state === 'closed') return;
    this.log.warn({ link: this.link, home: this.node }, 'the home node of a forwarded connection died');
    this.finish();
    // a session whose both sides can resume moves to another node (adoption): the endpoint resumes;
    // anything else (a waiting customer, a pairing, a side without resume key) is lost, said plainly
    this.resumable().then(
      (yes) => {
        if (yes) return this.endpoint.close(CloseCode.serviceRestart, 'server-node-lost: resume through another server');
        this.endpoint.sendControl({ type: 'ended', by: 'server', reason: 'server-node-lost' });
        this.endpoint.close(CloseCode.normal, 'server-node-lost');
      },
      () => this.endpoint.close(CloseCode.normal, 'server-node-lost'),
    );
  }

  /** This node is drained: the socket is closed with "service restart" and the home told; the endpoint resumes elsewhere. */
  drain(): boolean {
    if (this.state === 'closed') return false;
    this.send(Op.close, Buffer.from(JSON.stringify({ code: CloseCode.goingAway, reason: 'the forwarding server is restarting' })));
    this.finish();
    this.endpoint.close(CloseCode.serviceRestart, 'this server is restarting; resume through another one');
    return true;
  }

  /** Control messages come from the home node's broker: passed on once they are a server message. */
  private control(body: Buffer): void {
    const message = decodeJsonBody(serverMessageSchema, body);
    if (!message) return this.log.warn({ link: this.link }, 'dropped a control message that is not a server message');
    this.endpoint.sendControl(message);
  }

  private send(op: Op, body?: Uint8Array): void {
    if (this.state === 'closed') return;
    if (this.bus.send(this.node, op, this.link, body)) return;
    // Redis is gone: do not queue without bound. The endpoint reconnects (resume) through a node that works.
    this.finish();
    this.endpoint.close(CloseCode.internal, 'the cluster bus is unavailable');
  }

  private unpause(): void {
    const resume = this.resumeReading;
    this.resumeReading = undefined;
    resume?.();
  }

  private finish(): void {
    this.state = 'closed';
    this.bus.remove(this.link);
    this.unpause();
  }
}
