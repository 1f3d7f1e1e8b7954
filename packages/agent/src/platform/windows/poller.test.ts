import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GdiApi } from './gdi-api.js';
import { PollTimer } from './poller.js';

/** A GdiApi with only GetLastInputInfo, whose tick the test moves as a user's input would. */
function fakeApi(): { api: GdiApi; input: () => void } {
  let tick = 1000;
  const api = { GetLastInputInfo: (info: { dwTime: number }) => ((info.dwTime = tick), 1) } as unknown as GdiApi;
  return { api, input: () => (tick += 50) };
}

describe('PollTimer: when GDI looks at the screen next', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** the gaps between polls over `ms` */
  function gaps(polls: number[], ms: number): number[] {
    vi.advanceTimersByTime(ms);
    return polls.slice(1).map((t, i) => t - polls[i]!);
  }

  /** A timer whose every poll is noted and asks for the next one as the capture does (`later()`), started at once. */
  function polling(api: GdiApi): { timer: PollTimer; polls: number[] } {
    const polls: number[] = [];
    const timer: PollTimer = new PollTimer(
      api,
      () => {
        polls.push(Date.now());
        timer.later();
      },
      Date.now,
    );
    timer.changed();
    timer.soon();
    return { timer, polls };
  }

  it('polls ~30/s after a change, 4/s after a quiet second, once a second after 5 quiet seconds', () => {
    const { timer, polls } = polling(fakeApi().api);
    const all = gaps(polls, 10_000);
    const at = (t: number) => all[polls.findIndex((p) => p - polls[0]! >= t)]!;
    expect(at(200)).toBe(33);
    expect(at(2000)).toBe(250);
    expect(at(6500)).toBe(1000);
    timer.stop();
  });

  it('polls at once when the keyboard or mouse was used, and fast again from then on', () => {
    const { api, input } = fakeApi();
    const { timer, polls } = polling(api);
    vi.advanceTimersByTime(7000); // still: one poll a second by now
    const before = polls.length;
    const inputAt = Date.now();
    input();
    vi.advanceTimersByTime(300);
    const after = polls.slice(before);
    // the next input check (within 100 ms) polls, not the next once-a-second poll
    expect(after[0]! - inputAt).toBeLessThanOrEqual(100);
    // and the polls after it are 33 ms apart again
    expect(after[2]! - after[1]!).toBe(33);
    timer.stop();
  });

  it('stops polling when stopped', () => {
    const { api } = fakeApi();
    const poll = vi.fn();
    const timer = new PollTimer(api, poll, Date.now);
    timer.soon();
    timer.stop();
    vi.advanceTimersByTime(5000);
    expect(poll).not.toHaveBeenCalled();
  });
});
