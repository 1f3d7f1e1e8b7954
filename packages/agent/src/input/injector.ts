import { FernhilfeError, type PointerButton } from '@fernhilfe/protocol';

/**
 * Puts input into the customer's desktop, one implementation per platform (x11/injector.ts for
 * Linux/X11; Windows SendInput and macOS CGEvent can fill the same shape later). Coordinates are in
 * the desktop's own pixels (the whole virtual screen); the input feature maps from the video frame.
 */
export interface InputInjector {
  /** the whole desktop, for clamping and for the default monitor */
  readonly screen: { width: number; height: number };
  move(x: number, y: number): Promise<void>;
  button(button: PointerButton, down: boolean): Promise<void>;
  /** wheel notches; + is right / down */
  wheel(dx: number, dy: number): Promise<void>;
  /**
   * A key by the browser's `code` (physical key) and `key` (its meaning). Keys that type text are
   * typed on key-down as the character `key` names, with whatever modifiers the customer's layout
   * needs; other keys are pressed and released as the technician does. Once `signal` is aborted
   * (control taken back) nothing more of this key is typed, even if it was waiting.
   */
  key(code: string, key: string, down: boolean, signal?: AbortSignal): Promise<void>;
  /** releases every key and button this injector holds down */
  releaseAll(): Promise<void>;
  /**
   * true when the local user used mouse or keyboard since the last call (local input wins). May run
   * while input is being injected: what this injector did before the look never counts as local.
   */
  localInputSince(): Promise<boolean>;
  close(): Promise<void>;
}

export type InputErrorReason = 'no-display' | 'no-xtest' | 'closed';

export class InputError extends FernhilfeError<InputErrorReason> {
  override readonly name = 'InputError';
  constructor(reason: InputErrorReason, detail: string, options: { cause?: unknown } = {}) {
    super(reason, detail, { ...options, message: `${reason}: ${detail}` });
  }
}
