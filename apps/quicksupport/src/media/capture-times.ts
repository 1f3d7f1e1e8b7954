/**
 * Wall-clock capture time of each frame in the encoder, by the frame's timestamp. VideoFrame
 * timestamps are not wall-clock time (the viewer's latency figure needs the sender's epoch clock),
 * so the time is taken with Date.now() when the frame is captured and looked up when it comes out
 * encoded.
 */
export class CaptureTimes {
  private readonly times = new Map<number, number>();

  constructor(private readonly limit = 64) {}

  set(timestamp: number, wallClockMs: number): void {
    this.times.set(timestamp, wallClockMs);
    // frames the encoder dropped never come out: forget the oldest
    if (this.times.size > this.limit) {
      const oldest = this.times.keys().next();
      if (!oldest.done) this.times.delete(oldest.value);
    }
  }

  take(timestamp: number): number | undefined {
    const t = this.times.get(timestamp);
    this.times.delete(timestamp);
    return t;
  }

  clear(): void {
    this.times.clear();
  }
}
