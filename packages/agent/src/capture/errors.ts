export const captureErrorReasons = ['unsupported-platform', 'no-display', 'display-refused', 'missing-extension'] as const;
export type CaptureErrorReason = (typeof captureErrorReasons)[number];

/** Why the screen cannot be captured; `reason` is what the UI turns into plain words. */
export class CaptureError extends Error {
  constructor(
    readonly reason: CaptureErrorReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'CaptureError';
  }

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
