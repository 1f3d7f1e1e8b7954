import { FernhilfeError } from '@fernhilfe/protocol';

/** Errors of the platform interfaces (platform/types.ts), shared by every backend, and of the platform table. */

export const captureErrorReasons = ['no-display', 'display-refused', 'missing-extension', 'closed'] as const;
export type CaptureErrorReason = (typeof captureErrorReasons)[number];

/** Why the screen cannot be captured; `reason` is what the UI turns into plain words. */
export class CaptureError extends FernhilfeError<CaptureErrorReason> {
  override readonly name = 'CaptureError';

  static noDisplay(detail: string): CaptureError {
    return new CaptureError('no-display', detail);
  }

  static refused(detail: string): CaptureError {
    return new CaptureError('display-refused', detail);
  }

  static missingExtension(name: string): CaptureError {
    return new CaptureError('missing-extension', `the X server lacks the ${name} extension`);
  }
}

export type InputErrorReason = 'no-display' | 'no-xtest' | 'closed';

/** Why remote input cannot be injected. */
export class InputError extends FernhilfeError<InputErrorReason> {
  override readonly name = 'InputError';
  constructor(reason: InputErrorReason, detail: string, options: { cause?: unknown } = {}) {
    super(reason, detail, { ...options, message: `${reason}: ${detail}` });
  }
}

/** Another program kept (or took back) the clipboard while we tried to own it, or kept it open ('busy'). */
export class ClipboardError extends FernhilfeError<'not-owner' | 'busy'> {
  override readonly name = 'ClipboardError';
}

/** The desktop shows no notifications: nothing answers as its notification service. */
export class NotificationError extends FernhilfeError<'no-service'> {
  override readonly name = 'NotificationError';

  static noService(detail: string, cause?: unknown): NotificationError {
    return new NotificationError('no-service', detail, cause === undefined ? {} : { cause });
  }
}

export type PlatformErrorReason = 'unavailable';

/** No platform of the table can run here; the detail names what each one lacks. */
export class PlatformError extends FernhilfeError<PlatformErrorReason> {
  override readonly name = 'PlatformError';

  static unavailable(why: readonly string[]): PlatformError {
    return new PlatformError('unavailable', `no desktop to share or control here (${why.join('; ')})`);
  }
}
