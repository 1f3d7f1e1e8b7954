import { FernhilfeError } from '@fernhilfe/protocol';

export const captureErrorReasons = ['unsupported-platform', 'no-display', 'display-refused', 'missing-extension', 'closed'] as const;
export type CaptureErrorReason = (typeof captureErrorReasons)[number];

/** Why the screen cannot be captured; `reason` is what the UI turns into plain words. */
export class CaptureError extends FernhilfeError<CaptureErrorReason> {
  override readonly name = 'CaptureError';

  static unsupportedPlatform(platform: string): CaptureError {
    return new CaptureError('unsupported-platform', `screen capture is not available on ${platform} yet`);
  }

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
