import { FernhilfeError } from '@fernhilfe/protocol';

export const encodeErrorReasons = ['encoder-missing', 'encoder-failed', 'encoder-closed'] as const;
export type EncodeErrorReason = (typeof encodeErrorReasons)[number];

export class EncodeError extends FernhilfeError<EncodeErrorReason> {
  override readonly name = 'EncodeError';

  static missing(detail: string): EncodeError {
    return new EncodeError('encoder-missing', detail);
  }

  static failed(detail: string): EncodeError {
    return new EncodeError('encoder-failed', detail);
  }
}
