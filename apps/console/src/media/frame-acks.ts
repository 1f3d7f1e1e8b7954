/**
 * The viewer's `video-ack`s, in the order the frames arrived. Every frame that reaches the decoder
 * stage is either drawn or dropped (skipped behind a slow decoder, discarded by a reset); the sender's
 * flow control (packages/protocol/src/video/flow.ts) must hear about both, or it waits for a dropped
 * frame until its stale timeout. Acks are cumulative there (acking frame N clears every older frame in
 * flight), so an ack goes out only once every frame that arrived before it is settled: a frame dropped
 * while an older one is still in the decoder is acknowledged after that one is drawn. A drawn frame is
 * always acknowledged (its timing measures the path); a run of dropped frames only by its newest.
 */
export class FrameAcks {
  private readonly order: Array<{ frameId: number; settled: 'no' | 'drawn' | 'dropped' }> = [];

  constructor(private readonly ack: (frameId: number) => void) {}

  /** A frame came in; it will be drawn or dropped later. */
  arrived(frameId: number): void {
    this.order.push({ frameId, settled: 'no' });
  }

  drawn(frameId: number): void {
    this.settle([frameId], 'drawn');
  }

  /** Frames that will never be drawn (several at once: one ack covers them). */
  dropped(...frameIds: number[]): void {
    this.settle(frameIds, 'dropped');
  }

  /** Frames not settled yet. */
  get pending(): number {
    return this.order.length;
  }

  /** The stream ended (share stopped, session closed): nothing more to acknowledge. */
  clear(): void {
    this.order.length = 0;
  }

  private settle(frameIds: number[], how: 'drawn' | 'dropped'): void {
    for (const frameId of frameIds) {
      const entry = this.order.find((e) => e.frameId === frameId && e.settled === 'no');
      if (entry) entry.settled = how;
    }
    while (this.order.length > 0 && this.order[0]!.settled !== 'no') {
      const first = this.order.shift()!;
      const next = this.order[0];
      // a dropped frame followed by another settled one is covered by that one's ack
      if (first.settled === 'drawn' || !next || next.settled === 'no') this.ack(first.frameId);
    }
  }
}
