import { FernhilfeError, randomCustomerId } from '@fernhilfe/protocol';

/** A hundred random IDs in a row were taken: the ID space of this node is (nearly) full. */
export class RegistryError extends FernhilfeError<'no-free-id'> {
  override readonly name = 'RegistryError';
}


/**
 * The live ID directory of one node: which customer holds which nine-digit ID. An ID that was
 * given out is not given out again for a day, so a late technician cannot reach a new customer
 * with an old ID.
 */
export class IdRegistry<T> {
  private readonly live = new Map<string, T>();
  private readonly retired = new Map<string, number>();
  private readonly reserved = new Set<string>();

  constructor(
    private readonly retireMs = 24 * 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers `value` under a fresh random ID that is neither live nor recently retired. */
  add(make: (id: string) => T): { id: string; value: T } {
    for (let i = 0; i < 100; i++) {
      const id = randomCustomerId();
      if (this.live.has(id) || this.retired.has(id)) continue;
      const value = make(id);
      this.live.set(id, value);
      return { id, value };
    }
    throw new RegistryError('no-free-id', 'no free customer ID found');
  }

  /**
   * Reserves a fresh random ID that is neither live nor recently retired here, and that `claim`
   * (the cluster directory: the other nodes) also grants; `put` it or `release` it afterwards.
   */
  async reserve(claim: (id: string) => Promise<boolean>): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const id = randomCustomerId();
      if (this.live.has(id) || this.retired.has(id) || this.reserved.has(id)) continue;
      this.reserved.add(id);
      if (await claim(id)) return id;
      this.reserved.delete(id);
    }
    throw new RegistryError('no-free-id', 'no free customer ID found');
  }

  /** Registers `value` under an ID from `reserve`. */
  put(id: string, value: T): T {
    this.reserved.delete(id);
    this.live.set(id, value);
    return value;
  }

  /** A reserved ID that was not used (its connection closed meanwhile): retired like any other. */
  release(id: string): void {
    if (this.reserved.delete(id)) this.retired.set(id, this.now() + this.retireMs);
  }

  get(id: string): T | undefined {
    return this.live.get(id);
  }

  isRetired(id: string): boolean {
    const until = this.retired.get(id);
    return until !== undefined && until > this.now();
  }

  /** Removes a live ID for good: it can never reach anyone again (until it expires from memory). */
  retire(id: string): void {
    if (this.live.delete(id)) this.retired.set(id, this.now() + this.retireMs);
  }

  sweep(): void {
    const now = this.now();
    for (const [id, until] of this.retired) if (until <= now) this.retired.delete(id);
  }

  values(): IterableIterator<T> {
    return this.live.values();
  }

  get size(): number {
    return this.live.size;
  }
}
