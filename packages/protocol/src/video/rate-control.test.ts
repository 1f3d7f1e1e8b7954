import { describe, expect, it } from 'vitest';
import { VideoFlow } from './flow.js';
import { RateControl } from './rate-control.js';

/**
 * A simulated path on a fake clock (1 ms steps): the sender always has a changed screen, sends when
 * the flow admits a frame and its pacing allows, frames as big as an encoder capped at the target
 * would make them (at most 60 KB); the link is a FIFO of `kbps` with `delayMs` one way, in order
 * like TCP: a "lost" frame arrives `lossExtraMs` late and holds back those behind it. The viewer
 * acknowledges each frame 2 ms after it arrived.
 */
class Sim {
  t = 0;
  kbps: number;
  delayMs: number;
  lossEvery = 0;
  lossExtraMs = 0;
  /** typing instead of a busy screen: a 1.5 KB frame every 100 ms and a 90 KB sharp refinement each second */
  typing = false;
  private pending: number | undefined;
  readonly rate: RateControl;
  readonly flow: VideoFlow;
  private linkFreeAt = 0;
  private lastArrival = 0;
  private nextSendAt = 0;
  private sentCount = 0;
  private readonly acks: Array<{ at: number; id: number }> = [];
  /** the one-way queueing delay each frame met on the link (ms), by send time */
  readonly queued: Array<{ at: number; ms: number }> = [];
  readonly targets: Array<{ at: number; kbps: number }> = [];

  constructor(kbps: number, delayMs: number) {
    this.kbps = kbps;
    this.delayMs = delayMs;
    this.rate = new RateControl({ now: () => this.t });
    this.flow = new VideoFlow({ rate: this.rate, now: () => this.t });
  }

  run(untilMs: number): void {
    for (; this.t < untilMs; this.t++) {
      while (this.acks[0] && this.acks[0].at <= this.t) this.flow.acked(this.acks.shift()!.id);
      this.flow.tick();
      if (this.t % 10 === 0) this.targets.push({ at: this.t, kbps: this.rate.targetKbps });
      if (this.typing) {
        if (this.t % 1000 === 300) this.pending = 90_000;
        else if (this.t % 100 === 0) this.pending ??= 1500;
        if (this.pending !== undefined && this.flow.admit()) this.send(this.pending);
      } else if (this.t >= this.nextSendAt && this.flow.admit()) this.send();
    }
  }

  targetAt(ms: number): number {
    return [...this.targets].reverse().find((s) => s.at <= ms)!.kbps;
  }

  maxQueue(fromMs: number, toMs: number): number {
    return Math.max(...this.queued.filter((q) => q.at >= fromMs && q.at < toMs).map((q) => q.ms));
  }

  private send(fixed?: number): void {
    this.pending = undefined;
    const keyframe = this.flow.takeKeyframe();
    const bytes = fixed ?? (keyframe ? 60_000 : Math.min(60_000, Math.round((this.rate.targetKbps * 1000) / 30 / 8)));
    const id = this.flow.sent(bytes, keyframe);
    const start = Math.max(this.t, this.linkFreeAt);
    this.queued.push({ at: this.t, ms: start - this.t });
    this.linkFreeAt = start + (bytes * 8) / this.kbps;
    const lost = this.lossEvery > 0 && ++this.sentCount % this.lossEvery === 0;
    const arrival = Math.max(this.lastArrival, this.linkFreeAt + this.delayMs + (lost ? this.lossExtraMs : 0));
    this.lastArrival = arrival;
    this.acks.push({ at: Math.ceil(arrival + 2 + this.delayMs), id });
    this.nextSendAt = this.t + Math.max(8, this.flow.paceMs(bytes));
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('rate control on a simulated link', () => {
  it('after the link narrows, the target is under the link within 1 s and the queue stays short', () => {
    const sim = new Sim(10_000, 25);
    sim.run(4000);
    expect(sim.targetAt(4000)).toBeGreaterThan(6000); // it found the wide link
    sim.kbps = 2000;
    sim.run(5000);
    expect(sim.targetAt(5000)).toBeLessThan(2000);
    sim.run(10_000);
    // settled: under the link, well above the floor, and the link's queue bounded
    const settled = sim.targets.filter((s) => s.at >= 5000).map((s) => s.kbps);
    // it creeps a little over the link now and then, and comes back
    expect(median(settled)).toBeLessThan(2000 * 1.05);
    expect(Math.max(...settled)).toBeLessThan(2000 * 1.15);
    expect(sim.targetAt(10_000)).toBeGreaterThan(1000);
    expect(sim.maxQueue(5000, 10_000)).toBeLessThan(100);
    expect(sim.rate.deliveredKbps).toBeGreaterThan(1000);
  });

  it('grows again when the link widens', () => {
    const sim = new Sim(1500, 40);
    sim.run(5000);
    const narrow = sim.targetAt(5000);
    expect(narrow).toBeLessThan(1500);
    sim.kbps = 20_000;
    sim.run(9000);
    expect(sim.targetAt(9000)).toBeGreaterThan(3 * narrow);
    expect(sim.maxQueue(5000, 9000)).toBeLessThan(100);
  });

  it('a late frame now and then (a lost segment sent again) does not collapse the target', () => {
    const sim = new Sim(5000, 40);
    sim.lossEvery = 30; // about one frame a second
    sim.lossExtraMs = 200;
    sim.run(12_000);
    const late = sim.targets.filter((s) => s.at >= 4000).map((s) => s.kbps);
    // a 200 ms stall every second costs rate, but the target stays far from the floor (150)
    expect(Math.min(...late)).toBeGreaterThan(1000);
    expect(median(late)).toBeGreaterThan(2000);
    expect(median(late)).toBeLessThan(5000);
  });

  it('typing with a sharp refinement each second (a big frame on its own, little else) does not walk the target down', () => {
    const sim = new Sim(10_000, 25);
    sim.typing = true;
    sim.run(20_000);
    // the refinement's own transmission is no sign of a narrow path: the target stays where it started (4 Mbit/s)
    expect(Math.min(...sim.targets.map((s) => s.kbps))).toBeGreaterThanOrEqual(3000);
    expect(sim.targetAt(20_000)).toBeGreaterThanOrEqual(3000);
  });

  it('says the path limits the sender only once it showed a queue or a cut (the pacing of the agent follows it)', () => {
    const sim = new Sim(100_000, 1);
    sim.typing = true;
    expect(sim.rate.limiting).toBe(false);
    sim.run(3000);
    expect(sim.rate.limiting).toBe(false); // typing and its refinements over a wide link: never limited
    sim.kbps = 500; // a refinement now takes the link over a second
    sim.run(5000);
    expect(sim.rate.limiting).toBe(true);
  });

  it('never goes under the floor, and grows only while the sender uses its rate', () => {
    let t = 0;
    const rate = new RateControl({ now: () => t, startKbps: 1000, minKbps: 150 });
    // acks with an ever longer round trip: a path that carries almost nothing
    for (let i = 0; i < 100; i++) {
      t += 100;
      rate.onSent(100);
      rate.onAck(100, 50 + i * 40);
    }
    expect(rate.targetKbps).toBe(150);
    // an idle screen (tiny frames, a quiet path): the target stays where it is
    const idle = new RateControl({ now: () => t, startKbps: 1000 });
    for (let i = 0; i < 50; i++) {
      t += 100;
      idle.onSent(50);
      idle.onAck(50, 30);
    }
    expect(idle.targetKbps).toBe(1000);
    expect(idle.minRttMs).toBe(30);
    expect(idle.queueDelayMs).toBe(0);
  });
});

describe('the byte budget in flight', () => {
  it('admits frames while their bytes fit target × (min RTT + margin), at least one, and a keyframe waits for room but not forever', () => {
    let t = 0;
    const rate = new RateControl({ now: () => t, startKbps: 1000 });
    const flow = new VideoFlow({ rate, now: () => t });
    flow.takeKeyframe();
    const first = flow.sent(50_000, true); // bigger than the budget: one frame always goes
    expect(flow.admit()).toBe(false);
    t = 100;
    flow.acked(first);
    expect(rate.minRttMs).toBe(100);
    // target × (100 + 60) ms, in bytes (the first quiet ack grew the target a little)
    const budget = rate.budgetBytes();
    expect(budget).toBe(Math.round((rate.targetKbps * 160) / 8));
    expect(budget).toBeGreaterThanOrEqual(20_000);
    const frame = Math.floor(budget / 4);
    for (let i = 0; i < 3; i++) {
      expect(flow.admit()).toBe(true);
      flow.sent(frame);
    }
    expect(flow.hasRoom()).toBe(false); // three quarters of the budget in flight
    expect(flow.admit()).toBe(true); // the fourth still fits
    flow.sent(frame);
    expect(flow.admit()).toBe(false);
    expect(flow.pendingBytes).toBe(4 * frame);
    // a keyframe (last one 50 KB) does not fit: it waits for room, up to 500 ms
    flow.requestKeyframe();
    t = 110;
    expect(flow.admit()).toBe(false);
    t = 400;
    expect(flow.admit()).toBe(false);
    t = 611;
    expect(flow.admit()).toBe(true);
    expect(flow.takeKeyframe()).toBe(true);
  });

  it('without a rate control it keeps the window of frames', () => {
    const flow = new VideoFlow({ window: 2, now: () => 0 });
    flow.sent(1);
    expect(flow.hasRoom()).toBe(false);
    flow.sent(1);
    expect(flow.admit()).toBe(false);
    expect(flow.paceMs(1000)).toBe(0);
  });
});
