import { describe, expect, it } from 'vitest';
import { InputQueue } from './queue.js';

describe('InputQueue', () => {
  it('refuses what does not fit, runs the rest in order, and cancel() drops what waits and aborts what runs', async () => {
    const errors: unknown[] = [];
    const q = new InputQueue(3, (e) => errors.push(e));
    const ran: string[] = [];
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    let abortedWhileRunning = false;
    expect(
      q.push(async (signal) => {
        ran.push('first');
        await Promise.race([blocker, new Promise((r) => signal.addEventListener('abort', r))]);
        abortedWhileRunning = signal.aborted;
      }),
    ).toBe(true);
    expect(q.push(() => void ran.push('second'))).toBe(true);
    expect(q.push(() => void ran.push('third'))).toBe(true);
    expect(q.push(() => void ran.push('fourth'))).toBe(false); // full
    expect(q.push(() => void ran.push('release-all'), { cancellable: false, force: true })).toBe(true);
    await Promise.resolve();
    q.cancel();
    await q.idle(); // the running task was aborted: the queue drains at once, not when `blocker` resolves
    expect(q.push(() => void ran.push('after cancel'))).toBe(true);
    await q.idle();
    release();
    expect(ran).toEqual(['first', 'release-all', 'after cancel']);
    expect(abortedWhileRunning).toBe(true);
    expect(q.size).toBe(0);
    expect(errors).toEqual([]);
  });
});
