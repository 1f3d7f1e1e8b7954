/**
 * The one error base. Every error the project throws says why in a word from a closed list (`reason`,
 * which code and tests switch on), what in a sentence a person can read (`detail`), and, where another
 * error led to it, that error (`cause`, the standard ES2022 property, so Node and browsers print the chain).
 *
 * A subclass fixes the reason list and its own `name`:
 *
 *     export class CaptureError extends FernhilfeError<CaptureFailure> {
 *       override readonly name = 'CaptureError';
 *     }
 *
 * `message` is the detail unless a subclass passes its own wording (ProtocolError keeps "reason: detail").
 */
export abstract class FernhilfeError<Reason extends string = string> extends Error {
  abstract override readonly name: string;
  readonly reason: Reason;
  readonly detail: string;

  constructor(reason: Reason, detail: string, options: { cause?: unknown; message?: string } = {}) {
    super(options.message ?? detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.detail = detail;
  }
}

/** Reasons for InvariantError: a state the code rules out was reached anyway (a bug, never the user's doing). */
export type InvariantFailure = 'invariant';

/**
 * A broken promise inside our own code ("cannot happen"): a missing element the build put there, a
 * state a type already excludes. Use it where a plain `throw new Error` would otherwise stand.
 */
export class InvariantError extends FernhilfeError<InvariantFailure> {
  override readonly name = 'InvariantError';
  constructor(detail: string, options: { cause?: unknown } = {}) {
    super('invariant', detail, options);
  }
}

/** Turns anything caught into a readable sentence (for logs and plain-language error lines). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
