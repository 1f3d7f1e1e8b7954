import type { RateControl } from '@fernhilfe/protocol';

/** What the sender's rate control decided, as the `video-rate` control message carries it. */
export interface RateReport {
  bitrateKbps: number;
  limitKbps: number;
  fps: number;
  scale: number;
}

/**
 * Full size needs at least this many kbps per million pixels: under it (1080p: ~1.2 Mbit/s) for
 * SCALE_DOWN_AFTER_MS the picture goes out at half the width and height; back to full size once the
 * target is SCALE_UP_FACTOR times over it for SCALE_UP_AFTER_MS (hysteresis: no flapping at the edge).
 *
 * A half-size picture is often cheap (the sender then uses less than its target, and the target,
 * which grows only on evidence, stays low), so the full size is also tried as a probe: after
 * PROBE_AFTER_MS at half size with a quiet path and an idle part of the target. A probe that the
 * link cannot carry brings the target down and the scale back within seconds; the next probe then
 * waits twice as long (up to PROBE_MAX_MS); one that holds for PROBE_HELD_MS resets the wait.
 */
export const FULL_SIZE_KBPS_PER_MPIXEL = 600;
const SCALE_DOWN_AFTER_MS = 1500;
const SCALE_UP_FACTOR = 1.6;
const SCALE_UP_AFTER_MS = 3000;
const PROBE_AFTER_MS = 3000;
const PROBE_MAX_MS = 60_000;
const PROBE_HELD_MS = 10_000;
const QUIET_MS = 15;
/** a report at most this often (and only when something changed) */
const REPORT_EVERY_MS = 1000;

/**
 * The frame pump's view of its rate control: the picture's scale (with hysteresis), the frame rate
 * sent, and when to tell the viewer (`video-rate`).
 */
export class SendRate {
  scale: 1 | 0.5 = 1;
  private since: number | undefined;
  /** when the path was last seen quiet with part of the target unused, at half size */
  private idleSince: number | undefined;
  private probeWaitMs = PROBE_AFTER_MS;
  private probedAt: number | undefined;
  private readonly frameTimes: number[] = [];
  private lastReport: RateReport | undefined;
  private lastReportAt = -Infinity;

  constructor(
    readonly control: RateControl,
    private readonly now: () => number,
  ) {}

  /** Call before each grab with the monitor's size; returns true when the scale changed. */
  chooseScale(width: number, height: number): boolean {
    const need = (FULL_SIZE_KBPS_PER_MPIXEL * width * height) / 1e6;
    const target = this.control.targetKbps;
    const now = this.now();
    if (this.probedAt !== undefined && this.scale === 1 && now - this.probedAt >= PROBE_HELD_MS) {
      this.probedAt = undefined; // the probe held: the link carries the full size
      this.probeWaitMs = PROBE_AFTER_MS;
    }
    if (this.scale === 0.5 && this.probeDue(now)) return this.switchTo(1, now, true);
    const wants = this.scale === 1 ? target < need : target > need * SCALE_UP_FACTOR;
    if (!wants) {
      this.since = undefined;
      return false;
    }
    this.since ??= now;
    if (now - this.since < (this.scale === 1 ? SCALE_DOWN_AFTER_MS : SCALE_UP_AFTER_MS)) return false;
    if (this.scale === 1 && this.probedAt !== undefined) this.probeWaitMs = Math.min(PROBE_MAX_MS, this.probeWaitMs * 2); // the probe failed
    return this.switchTo(this.scale === 1 ? 0.5 : 1, now, false);
  }

  private probeDue(now: number): boolean {
    const idle = this.control.queueDelayMs < QUIET_MS && this.control.sentKbps < 0.7 * this.control.targetKbps;
    if (!idle) {
      this.idleSince = undefined;
      return false;
    }
    this.idleSince ??= now;
    return now - this.idleSince >= this.probeWaitMs;
  }

  private switchTo(scale: 1 | 0.5, now: number, probe: boolean): boolean {
    this.probedAt = probe ? now : undefined;
    this.scale = scale;
    this.since = this.idleSince = undefined;
    return true;
  }

  /** A frame went out. */
  frameSent(): void {
    const now = this.now();
    this.frameTimes.push(now);
    while (this.frameTimes.length > 0 && this.frameTimes[0]! <= now - 1000) this.frameTimes.shift();
  }

  /** frames sent over the last second */
  get fps(): number {
    const now = this.now();
    while (this.frameTimes.length > 0 && this.frameTimes[0]! <= now - 1000) this.frameTimes.shift();
    return this.frameTimes.length;
  }

  /** The report to send now, or undefined (nothing changed, or the last one is less than a second old; a new scale goes at once). */
  report(): RateReport | undefined {
    const now = this.now();
    const r: RateReport = { bitrateKbps: Math.round(this.control.targetKbps), limitKbps: Math.round(this.control.deliveredKbps), fps: this.fps, scale: this.scale };
    const last = this.lastReport;
    const scaleChanged = last !== undefined && last.scale !== r.scale;
    if (!scaleChanged && now - this.lastReportAt < REPORT_EVERY_MS) return undefined;
    if (last && !scaleChanged && !differs(last, r)) return undefined;
    this.lastReport = r;
    this.lastReportAt = now;
    return r;
  }
}

/** a change worth telling: 5 % in a rate, 2 frames a second */
function differs(a: RateReport, b: RateReport): boolean {
  const rel = (x: number, y: number) => Math.abs(x - y) > 0.05 * Math.max(x, y, 1);
  return rel(a.bitrateKbps, b.bitrateKbps) || rel(a.limitKbps, b.limitKbps) || Math.abs(a.fps - b.fps) >= 2 || a.scale !== b.scale;
}
