import { describe, expect, it } from 'vitest';
import { formatBytes, formatTimeLeft } from './format.js';

describe('formatBytes', () => {
  it('shows decimal units with one decimal above bytes', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(20_000_000, 'en')).toBe('20.0 MB');
    expect(formatBytes(1_500, 'de')).toBe('1,5 KB');
    expect(formatBytes(3e15, 'en')).toBe('3,000.0 TB');
  });
});

describe('formatTimeLeft', () => {
  it('shows m:ss, h:mm:ss, and a dash while unknown', () => {
    expect(formatTimeLeft(65)).toBe('1:05');
    expect(formatTimeLeft(3725)).toBe('1:02:05');
    expect(formatTimeLeft(-3)).toBe('0:00');
    expect(formatTimeLeft(undefined)).toBe('–');
    expect(formatTimeLeft(Infinity)).toBe('–');
  });
});
