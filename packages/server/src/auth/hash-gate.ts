import { availableParallelism } from 'node:os';
import { AuthError } from './errors.js';

export interface HashGateOptions {
  /** Hashes running at once. Default: the cores, at most 3 and always one below libuv's thread pool. */
  concurrency?: number;
  /** Hashes waiting for a turn; one more is refused with AuthError.busy(). Default 64. */
  maxWaiting?: number;
}

/**
 * A semaphore for password hashing (scrypt, 128 MiB and a few hundred ms each), one per server: a
 * flood of sign-ins or setup requests waits here instead of filling libuv's thread pool (which file
 * reads and DNS share) and the memory, and beyond `maxWaiting` is refused at once.
 */
export class HashGate {
  readonly #concurrency: number;
  readonly #maxWaiting: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(opts: HashGateOptions = {}) {
    const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    this.#concurrency = opts.concurrency ?? Math.max(1, Math.min(3, availableParallelism(), pool - 1));
    this.#maxWaiting = opts.maxWaiting ?? 64;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxWaiting) throw AuthError.busy();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(); // the turn passes on; #running stays
      else this.#running--;
    }
  }
}
