import { describe, expect, it } from 'vitest';
import { dayStart, formatDuration, localDay } from './format';

describe('report formatting', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(750)).toBe('12 min 30 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
  });

  it('turns a local day into the moment it starts, and the next day for an inclusive end', () => {
    const start = dayStart('2026-03-01')!;
    expect(new Date(start).getHours()).toBe(0);
    expect(localDay(new Date(start))).toBe('2026-03-01');
    expect(localDay(new Date(dayStart('2026-02-28', 1)!))).toBe('2026-03-01');
    expect(dayStart('01.03.2026')).toBeUndefined();
  });
});
