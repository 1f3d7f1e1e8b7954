import { Emitter, controlMessageSchema } from '@fernhilfe/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScreenCapture, ScreenCaptureEvents } from '../platform/types.js';
import { CursorTracker, cursorShapeMessage } from './cursor-tracker.js';

describe('cursor shape message', () => {
  it('passes the protocol schema and keeps the pixels', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => i);
    const m = cursorShapeMessage({ serial: 1, width: 3, height: 2, hotX: 1, hotY: 1, rgba });
    expect(controlMessageSchema.safeParse(m).success).toBe(true);
    expect(m.type === 'cursor-shape' && [...Buffer.from(m.rgba, 'base64')]).toEqual([...rgba]);
  });
  it('crops a huge cursor to 128x128 and keeps the hotspot inside', () => {
    const m = cursorShapeMessage({ serial: 1, width: 200, height: 150, hotX: 190, hotY: 10, rgba: new Uint8Array(200 * 150 * 4) });
    expect(m).toMatchObject({ width: 128, height: 128, hotX: 127, hotY: 10 });
    expect(controlMessageSchema.safeParse(m).success).toBe(true);
  });
});

/** A capture with only what the tracker uses: a pointer the test moves, with or without 'pointer-moved' events. */
class FakePointerCapture extends Emitter<ScreenCaptureEvents> {
  at = { x: 10, y: 10 };
  looks = 0;
  constructor(readonly pointerEvents: boolean) {
    super();
  }
  async pointer(): Promise<{ x: number; y: number }> {
    this.looks++;
    return { ...this.at };
  }
  async cursorShape(): Promise<undefined> {
    return undefined;
  }
  /** the hand moves the pointer: raw motion is reported where the platform has it */
  move(x: number, y: number): void {
    this.at = { x, y };
    if (this.pointerEvents) this.emit('pointer-moved', undefined);
  }
  /** a program warps the pointer: no event anywhere */
  warp(x: number, y: number): void {
    this.at = { x, y };
  }
}

describe('cursor tracker: fast while the pointer moves, slow while it is still', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function tracking(pointerEvents: boolean): Promise<{ capture: FakePointerCapture; sent: Array<{ x: number; y: number }>; tracker: CursorTracker }> {
    const capture = new FakePointerCapture(pointerEvents);
    const sent: Array<{ x: number; y: number }> = [];
    const tracker = new CursorTracker(capture as unknown as ScreenCapture, (m) => m.type === 'cursor-position' && sent.push({ x: m.x, y: m.y }), () => ({ x: 0, y: 0, width: 1920, height: 1080 }));
    await tracker.start();
    return { capture, sent, tracker };
  }

  /** how often the pointer is looked at during `ms` */
  async function looksIn(capture: FakePointerCapture, ms: number): Promise<number> {
    const before = capture.looks;
    await vi.advanceTimersByTimeAsync(ms);
    return capture.looks - before;
  }

  for (const pointerEvents of [true, false]) {
    it(`${pointerEvents ? 'with' : 'without'} movement events: every position of a moving pointer reaches the viewer, a still one is seldom looked at`, async () => {
      const { capture, sent, tracker } = await tracking(pointerEvents);
      expect(sent).toEqual([{ x: 10, y: 10 }]);
      // still since the start: a few looks in 10 s (5 a second at most), nothing sent
      const still = await looksIn(capture, 10_000);
      expect(still).toBeLessThanOrEqual(pointerEvents ? 10 : 50);
      expect(sent).toHaveLength(1);
      // the hand moves it: with events it is seen at once, without within one slow poll
      capture.move(500, 300);
      await vi.advanceTimersByTimeAsync(pointerEvents ? 0 : 250);
      expect(sent.at(-1)).toEqual({ x: 500, y: 300 });
      // while it moves, each 1/30 s step is seen (the fast poll)
      for (let i = 1; i <= 30; i++) {
        capture.move(500 + i * 10, 300);
        await vi.advanceTimersByTimeAsync(34);
        expect(sent.at(-1), `step ${i}`).toEqual({ x: 500 + i * 10, y: 300 });
      }
      expect(await looksIn(capture, 1_000)).toBeGreaterThanOrEqual(25);
      // still again: back to the slow poll after a while
      await vi.advanceTimersByTimeAsync(3_000);
      expect(await looksIn(capture, 10_000)).toBeLessThanOrEqual(pointerEvents ? 10 : 50);
      // a warp (no raw motion) is still seen within one slow poll
      capture.warp(7, 8);
      await vi.advanceTimersByTimeAsync(pointerEvents ? 1_100 : 250);
      expect(sent.at(-1)).toEqual({ x: 7, y: 8 });
      tracker.stop();
      expect(await looksIn(capture, 5_000)).toBe(0);
    });
  }
});
