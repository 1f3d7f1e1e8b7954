export const encodeErrorReasons = ['encoder-missing', 'encoder-failed'] as const;
export type EncodeErrorReason = (typeof encodeErrorReasons)[number];

export class EncodeError extends Error {
  constructor(
    readonly reason: EncodeErrorReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'EncodeError';
  }

  static missing(detail: string): EncodeError {
    return new EncodeError('encoder-missing', detail);
  }

  static failed(detail: string): EncodeError {
    return new EncodeError('encoder-failed', detail);
  }
}
