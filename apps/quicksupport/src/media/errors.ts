import { FernhilfeError, type ShareProblem } from '@fernhilfe/protocol';

export class ScreenShareError extends FernhilfeError<ShareProblem> {
  override readonly name = 'ScreenShareError';
  constructor(reason: ShareProblem, detail?: string) {
    super(reason, detail ?? reason, { message: detail ? `${reason}: ${detail}` : reason });
  }

  static unsupported(detail: string): ScreenShareError {
    return new ScreenShareError('unsupported', detail);
  }
}

/** The one boundary that turns whatever the browser threw into a ScreenShareError. */
export function toScreenShareError(err: unknown): ScreenShareError {
  if (err instanceof ScreenShareError) return err;
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  const message = err instanceof Error || err instanceof DOMException ? err.message : String(err);
  if (name === 'NotAllowedError' || name === 'AbortError') return new ScreenShareError('denied', message);
  if (name === 'NotSupportedError') return new ScreenShareError('unsupported', message);
  return new ScreenShareError('failed', `${name || 'Error'}: ${message}`);
}
