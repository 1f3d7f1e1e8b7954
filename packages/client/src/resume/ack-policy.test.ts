import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckPolicy } from './ack-policy.js';

describe('AckPolicy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('acknowledges after 32 frames at once', () => {
    let sent = 0;
    const p = new AckPolicy(() => sent++);
    for (let i = 0; i < 31; i++) p.received(100);
    expect(sent).toBe(0);
    p.received(100);
    expect(sent).toBe(1);
  });

  it('acknowledges 2 MiB at once, however few frames', () => {
    let sent = 0;
    const p = new AckPolicy(() => sent++);
    p.received(1024 * 1024);
    p.received(1024 * 1024);
    expect(sent).toBe(1);
  });

  it('acknowledges after 50 ms of quiet, not while frames keep coming', () => {
    let sent = 0;
    const p = new AckPolicy(() => sent++);
    p.received(10);
    vi.advanceTimersByTime(30);
    p.received(10);
    vi.advanceTimersByTime(30);
    expect(sent).toBe(0);
    vi.advanceTimersByTime(25);
    expect(sent).toBe(1);
    vi.advanceTimersByTime(500);
    expect(sent).toBe(1);
  });

  it('reset() forgets what is owed (a SYNC carries the count instead)', () => {
    let sent = 0;
    const p = new AckPolicy(() => sent++);
    p.received(10);
    p.reset();
    vi.advanceTimersByTime(500);
    expect(sent).toBe(0);
  });
});
