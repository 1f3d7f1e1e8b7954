import { FernhilfeError } from '@fernhilfe/protocol';

export const x11ErrorReasons = [
  'connect', // no X server at that display, or it refused us (authorisation)
  'closed', // the connection is gone (the X server ended or we closed it)
  'no-extension', // the X server lacks an extension we need
  'protocol', // the X server answered a request with an X error
] as const;
export type X11ErrorReason = (typeof x11ErrorReasons)[number];

/** Why an X request or connection failed; callers map the reason to their own (InputError, CaptureError…). */
export class X11Error extends FernhilfeError<X11ErrorReason> {
  override readonly name = 'X11Error';
  constructor(
    reason: X11ErrorReason,
    detail: string,
    options: { cause?: unknown } = {},
    /** the X error code for 'protocol' (BadWindow = 3, BadAtom = 5, …) */
    readonly code?: number,
  ) {
    super(reason, detail, { ...options, message: `${reason}: ${detail}` });
  }

  static connect(display: string, cause: unknown): X11Error {
    return new X11Error('connect', `cannot open X display "${display}": ${messageOf(cause)}`, { cause });
  }

  static closed(cause?: unknown): X11Error {
    return new X11Error('closed', cause ? `the X connection closed: ${messageOf(cause)}` : 'the X connection is closed', { cause });
  }

  static noExtension(name: string, cause?: unknown): X11Error {
    return new X11Error('no-extension', `the X server has no ${name} extension`, { cause });
  }

  static protocol(err: Error & { error?: number; badParam?: number; majorOpcode?: number; minorOpcode?: number }): X11Error {
    const request = err.majorOpcode === undefined ? '' : ` for request ${err.majorOpcode}.${err.minorOpcode ?? 0}`;
    const value = err.badParam === undefined ? '' : ` (value ${err.badParam})`;
    return new X11Error('protocol', `X error ${err.error ?? '?'} ${err.message}${request}${value}`, { cause: err }, err.error);
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : cause === undefined ? 'unknown reason' : String(cause);
}
