/** Why remote input was not injected (reported in the agent's log). */
export type InputDropReason = 'queue-full';

export interface QueueTaskOptions {
  /** skipped when cancel() comes after it was queued; its signal aborts when cancel() comes while it runs (default true) */
  cancellable?: boolean;
  /** queued even when the queue is full (release-all: a key must never stay held) */
  force?: boolean;
}

const never = new AbortController().signal;

/**
 * Remote input in order, one task after the other (a key may wait for the keyboard mapping). Bounded:
 * when `limit` tasks wait already, a new one is refused rather than typed seconds later. cancel()
 * (control taken back, the customer's own hand) drops everything queued and aborts what runs now, so
 * nothing the technician sent before it is injected after it.
 */
export class InputQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private generation = 0;
  private controller = new AbortController();

  constructor(
    private readonly limit: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** tasks queued and not yet finished */
  get size(): number {
    return this.waiting;
  }

  /** Queues `fn` behind everything before it; false (and nothing queued) when the queue is full. */
  push(fn: (signal: AbortSignal) => Promise<void> | void, opts: QueueTaskOptions = {}): boolean {
    const cancellable = opts.cancellable ?? true;
    if (this.waiting >= this.limit && !opts.force) return false;
    this.waiting++;
    const generation = this.generation;
    const signal = cancellable ? this.controller.signal : never;
    this.tail = this.tail.then(async () => {
      try {
        if (cancellable && generation !== this.generation) return;
        await fn(signal);
      } catch (err) {
        this.onError(err);
      } finally {
        this.waiting--;
      }
    });
    return true;
  }

  /** Nothing queued so far runs after this (tasks queued with cancellable: false still do). */
  cancel(): void {
    this.generation++;
    this.controller.abort();
    this.controller = new AbortController();
  }

  /** Tasks queued after this call wait for `p` first (the injector that is still opening). */
  waitFor(p: Promise<unknown>): void {
    this.tail = Promise.all([this.tail, p]).then(
      () => undefined,
      () => undefined,
    );
  }

  /** resolves once everything queued so far has run */
  idle(): Promise<void> {
    return this.tail;
  }
}
