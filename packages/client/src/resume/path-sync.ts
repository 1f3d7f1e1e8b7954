import { toProtocolError, type ProtocolError } from '@fernhilfe/protocol';
import type { Outbound } from './outbound.js';

export interface PathSyncDeps {
  out: Outbound;
  /** sends SYNC(path, frames opened so far) to the peer */
  sendSync(path: number): void;
  /** resolves once every frame that arrived so far has been opened (so the SYNC counts them) */
  settled(): Promise<unknown>;
  /** the path is whole again: everything the peer lacked is on its way */
  onResumed(): void;
  fail(error: ProtocolError): void;
}

/**
 * Where a session stands with its path to the peer (docs/protocol.md §8.3):
 *
 *   up --down()--> down --up(path)--> syncing --own SYNC sent, peer's SYNC for `path` in--> up
 *   up | down | syncing --up(path')--> syncing on path'  (the server re-established the path again)
 *
 * `syncing`: this side has said (SYNC) how many frames it opened and waits for the peer to say the
 * same. Sealed frames that arrive meanwhile were sent before the peer knew of the new path; they are
 * dropped unopened, because the peer sends them again from exactly the number in our SYNC. Our own
 * frames wait until the peer's SYNC says where to resume. ACKs stay authenticated throughout; a stale
 * one (lower than what we know) is ignored while syncing and refused as a replay otherwise.
 */
export class PathSync {
  private state: 'up' | 'down' | 'syncing' | 'stopped' = 'up';
  private path = 0;
  private syncSent = false;
  private peerNext: bigint | undefined;

  constructor(private readonly deps: PathSyncDeps) {}

  get isUp(): boolean {
    return this.state === 'up';
  }

  /** Sealed frames are dropped unopened (see above). */
  get discardsSealed(): boolean {
    return this.state === 'syncing';
  }

  down(): void {
    if (this.state === 'stopped') return;
    this.state = 'down';
    this.syncSent = false;
    this.peerNext = undefined;
    this.deps.out.hold();
  }

  up(path: number): void {
    if (this.state === 'stopped') return;
    this.state = 'syncing';
    this.path = path;
    this.syncSent = false;
    this.peerNext = undefined;
    this.deps.out.hold();
    void this.deps.settled().then(() => {
      if (this.state !== 'syncing' || this.path !== path) return;
      this.deps.sendSync(path);
      this.syncSent = true;
      if (this.peerNext !== undefined) this.complete(this.peerNext);
    });
  }

  /** The peer's (authenticated) ACK. */
  ack(next: bigint): void {
    if (this.state === 'stopped') return;
    try {
      this.deps.out.acknowledge(next, this.state === 'syncing' ? 'ignore' : 'refuse');
    } catch (err) {
      this.deps.fail(toProtocolError(err));
    }
  }

  /** The peer's (authenticated) SYNC. One for another path, or a repeat, is stale: ignored. */
  peerSync(path: number, next: bigint): void {
    if (this.state !== 'syncing' || path !== this.path || this.peerNext !== undefined) return;
    this.peerNext = next;
    if (this.syncSent) this.complete(next);
  }

  stop(): void {
    this.state = 'stopped';
  }

  private complete(next: bigint): void {
    try {
      this.deps.out.resync(next);
    } catch (err) {
      return this.deps.fail(toProtocolError(err));
    }
    this.state = 'up';
    this.deps.onResumed();
  }
}
