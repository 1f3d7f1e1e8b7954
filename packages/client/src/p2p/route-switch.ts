import {
  PeerType,
  decodePeerPayload,
  type EndReason,
  type IceServersMessage,
  type Role,
  type SyncPayload,
  type ToCustomer,
  type ToTechnician,
} from '@fernhilfe/protocol';
import type { ServerConnection, ToServer } from '../connection.js';
import { Emitter } from '@fernhilfe/protocol';
import type { LinkEvents, ResumeOptions, SessionLink } from '../resume/session-link.js';
import { directGeneration, fallbackGeneration, generationOf, isDirectGeneration, routePath } from './route-path.js';

/** A switched-to route whose SYNCs have not crossed within this long is given up (direct -> relay). */
export const SWITCH_TIMEOUT_MS = 5000;

export type RouteVia = 'relay' | 'direct';

export interface RouteEvents extends LinkEvents {
  /** the stream moves to another route: hold frames, SYNC on `path`, resend what the peer lacks */
  switch: { path: number };
  /** where the stream flows now; `established` once both SYNCs crossed on that route */
  route: { via: RouteVia; attempt: number | undefined; established: boolean };
  /** the server's STUN/TURN servers for the upgrade arrived */
  'ice-servers': IceServersMessage;
}

interface Direct {
  attempt: number;
  conn: ServerConnection;
  offs: (() => void)[];
}

/**
 * Carries a session's frames on one of two routes: the relay (the SessionLink to the server, which
 * reconnects by itself) or a direct channel (a WebRTC data channel of P2P attempt k). Which one
 * carries the stream is this class's single decision; the session above only sees a path change and
 * runs the SYNC of docs/protocol.md §8.3 on it, so every frame arrives exactly once and in order.
 *
 *   relay(gen 0) --direct channel of attempt k opened | peer's SYNC on it--> direct(2k-1)
 *   direct(2k-1) --channel closed | no SYNC within 5 s | peer's SYNC on the relay--> relay(2k)
 *   relay(2k) --direct channel of attempt k' > k--> direct(2k'-1)
 *
 * Frames arriving on the route not in use are dropped unopened (the peer resends them on the new
 * route from exactly what our SYNC says), except an authenticated SYNC of a newer generation, which
 * means the peer moved: we follow. While the stream is direct, the relay's own drops and resumes do
 * not touch it; the relay stays connected for the fallback.
 */
export class RouteSwitch extends Emitter<RouteEvents> {
  private gen = 0;
  private serverPath = 0;
  private relayUp = true;
  private active: RouteVia = 'relay';
  private direct: Direct | undefined;
  private path = 0;
  private ownSync = true;
  private peerSync = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;
  private ice: IceServersMessage | undefined;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly link: SessionLink,
    conn: ServerConnection,
    /** true when the peer made this SYNC (its HMAC tag verifies) */
    private readonly verify: (sync: SyncPayload) => boolean,
  ) {
    super();
    this.offs.push(
      link.on('peer', (bytes) => this.fromRelay(bytes)),
      link.on('down', (e) => this.onRelayDown(e)),
      link.on('up', ({ path }) => this.onRelayUp(path)),
      link.on('end', (end) => this.emit('end', end)),
      conn.on('control', (msg) => this.onServerControl(msg)),
    );
  }

  /** The STUN/TURN servers from the server, once they arrived. */
  get iceServers(): IceServersMessage | undefined {
    return this.ice;
  }

  get via(): RouteVia {
    return this.active;
  }

  /** The attempt whose direct channel is attached (in use or about to be). */
  get directAttempt(): number | undefined {
    return this.direct?.attempt;
  }

  start(): void {
    this.link.start();
  }

  enableResume(opts: ResumeOptions, seed: Uint8Array): void {
    this.link.enableResume(opts, seed);
  }

  /** A control message for the server (reports): always on the relay. */
  sendServer(message: ToServer<Role>): void {
    this.link.sendServer(message);
  }

  get bufferedAmount(): number {
    return this.active === 'direct' ? (this.direct?.conn.bufferedAmount ?? 0) : this.link.bufferedAmount;
  }

  sendPeer(bytes: Uint8Array): void {
    if (bytes[0] === PeerType.sync && readPath(bytes) === this.path) this.noteSync('own');
    if (this.active === 'direct') this.direct?.conn.sendPeer(bytes);
    else this.link.sendPeer(bytes);
  }

  /**
   * The data channel of attempt `attempt` opened (framed as a connection): the stream moves onto it.
   * A channel of an attempt older than the current route is closed at once.
   */
  attachDirect(attempt: number, conn: ServerConnection): void {
    if (this.finished || directGeneration(attempt) <= this.gen || this.direct) return conn.close('stale attempt');
    const direct: Direct = { attempt, conn, offs: [] };
    this.direct = direct;
    direct.offs.push(
      conn.on('peer', (bytes) => this.fromDirect(direct, bytes)),
      conn.on('closed', () => this.dropDirect(attempt)),
    );
    if (this.active !== 'direct') this.toDirect(attempt);
  }

  /** The direct channel of `attempt` is gone (closed, ICE failed): back to the relay if it carried the stream. */
  dropDirect(attempt: number): void {
    const direct = this.direct;
    if (!direct || direct.attempt !== attempt) return;
    this.closeDirect();
    if (this.active === 'direct') this.toRelay(fallbackGeneration(attempt));
  }

  finish(tell?: EndReason): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    for (const off of this.offs) off();
    this.closeDirect();
    this.link.finish(tell);
  }

  private onServerControl(msg: ToCustomer | ToTechnician): void {
    // the server's other messages are the SessionLink's; this one is ours
    if (msg.type !== 'ice-servers') return;
    this.ice = msg;
    this.emit('ice-servers', msg);
  }

  private onRelayDown(e: { side: 'local' | 'peer' }): void {
    this.relayUp = false;
    if (this.active === 'relay') this.emit('down', e);
  }

  private onRelayUp(serverPath: number): void {
    this.serverPath = serverPath;
    this.relayUp = true;
    if (this.active !== 'relay') return; // the stream is direct: the relay resumed in the background
    this.path = routePath(this.gen, serverPath);
    this.ownSync = this.peerSync = false;
    this.emit('up', { path: this.path });
  }

  private fromRelay(bytes: Uint8Array): void {
    if (this.active === 'relay') return this.forward(bytes);
    // the stream is direct: the relay carries only stale frames, or the peer's SYNC after it fell back
    const sync = this.authenticSync(bytes);
    if (!sync) return;
    const gen = generationOf(sync.path);
    if (gen <= this.gen || isDirectGeneration(gen)) return;
    this.closeDirect();
    this.toRelay(gen);
    this.forward(bytes);
  }

  private fromDirect(direct: Direct, bytes: Uint8Array): void {
    if (direct !== this.direct) return;
    if (this.active === 'direct') return this.forward(bytes);
    // the peer's SYNC on the channel may come before our own `open`: it moved, we follow
    const sync = this.authenticSync(bytes);
    if (sync && generationOf(sync.path) === directGeneration(direct.attempt) && directGeneration(direct.attempt) > this.gen) {
      this.toDirect(direct.attempt);
      this.forward(bytes);
    }
  }

  private forward(bytes: Uint8Array): void {
    if (bytes[0] === PeerType.sync && readPath(bytes) === this.path) this.noteSync('peer');
    this.emit('peer', bytes);
  }

  private toDirect(attempt: number): void {
    this.gen = directGeneration(attempt);
    this.active = 'direct';
    this.switchTo(routePath(this.gen, this.serverPath), attempt);
    // a direct route must prove itself: both SYNCs across within the time limit, else back to the relay
    this.timer = setTimeout(() => this.dropDirect(attempt), SWITCH_TIMEOUT_MS);
  }

  private toRelay(gen: number): void {
    const attempt = gen / 2;
    this.gen = gen;
    this.active = 'relay';
    clearTimeout(this.timer);
    if (this.relayUp) return this.switchTo(routePath(gen, this.serverPath), attempt);
    // the relay is down as well: the stream waits; the relay's `up` brings it back on this generation
    this.path = routePath(gen, this.serverPath);
    this.emit('route', { via: 'relay', attempt, established: false });
    this.emit('down', { side: 'local' });
  }

  private switchTo(path: number, attempt: number): void {
    this.path = path;
    this.ownSync = this.peerSync = false;
    this.emit('route', { via: this.active, attempt, established: false });
    this.emit('switch', { path });
  }

  private noteSync(which: 'own' | 'peer'): void {
    if (which === 'own') this.ownSync = true;
    else this.peerSync = true;
    if (!this.ownSync || !this.peerSync) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.emit('route', { via: this.active, attempt: this.active === 'direct' ? this.direct?.attempt : undefined, established: true });
  }

  private authenticSync(bytes: Uint8Array): SyncPayload | undefined {
    if (bytes[0] !== PeerType.sync) return undefined;
    try {
      const payload = decodePeerPayload(bytes);
      return payload.type === 'sync' && this.verify(payload) ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  private closeDirect(): void {
    const direct = this.direct;
    if (!direct) return;
    this.direct = undefined;
    for (const off of direct.offs) off();
    direct.conn.close('direct route closed');
  }
}

function readPath(bytes: Uint8Array): number | undefined {
  if (bytes.length < 5) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
}
