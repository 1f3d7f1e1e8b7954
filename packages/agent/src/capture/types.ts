/** A rectangle in screen (root window) pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One monitor of the customer's screen, in screen pixels. `id` is stable while the layout is. */
export interface Monitor extends Rect {
  id: string;
  name: string;
  primary: boolean;
}

export interface CursorShape {
  /** changes whenever the shape does */
  serial: number;
  width: number;
  height: number;
  hotX: number;
  hotY: number;
  /** width*height*4 bytes RGBA, straight alpha */
  rgba: Uint8Array;
}

/** The selected monitor's pixels: rows of `width` BGRX pixels, even width and height. */
export interface CapturedFrame {
  width: number;
  height: number;
  /** reused by the next grab: encode it before grabbing again */
  data: Buffer;
  /** wall clock (ms since the epoch) when the grab started */
  captureTime: number;
  /** what changed since the last grab, relative to the frame; undefined: anything may have */
  dirty?: Rect[];
}

export interface ScreenCaptureEvents extends Record<string, unknown> {
  /** something changed on the screen since the last grab (maybe on another monitor: grab() tells) */
  damage: undefined;
  monitors: Monitor[];
  'cursor-shape': CursorShape;
  /** the pointer moved (a real device or XTEST; not a warp); only where `pointerEvents` is true */
  'pointer-moved': undefined;
  /** the display went away (X server ended, connection lost) */
  closed: Error | undefined;
}

/**
 * A platform's screen capture (Linux/X11 today; Windows and macOS backends fill the same shape).
 * Work is driven by change: `damage` says something changed, `grab()` returns the selected
 * monitor's pixels, or undefined when nothing on that monitor changed and no full picture was asked.
 */
export interface ScreenCapture {
  /** how pixels are read, for logs and the benchmark ('shm' = shared memory, 'core' = copy through the socket) */
  readonly method: string;
  /** 'pointer-moved' events come, so the pointer need not be polled often while it is still */
  readonly pointerEvents: boolean;
  readonly monitors: readonly Monitor[];
  readonly selected: Monitor;
  /** The area captured from now on (even width and height). The next grab is a full one. */
  select(monitorId: string): boolean;
  grab(opts?: { full?: boolean }): Promise<CapturedFrame | undefined>;
  cursorShape(): Promise<CursorShape | undefined>;
  /** the pointer in screen pixels, undefined when it is on no screen of this display */
  pointer(): Promise<{ x: number; y: number } | undefined>;
  on<K extends keyof ScreenCaptureEvents>(event: K, listener: (value: ScreenCaptureEvents[K]) => void): () => void;
  close(): void;
}

export interface CaptureOptions {
  /** X11: the DISPLAY value; default $DISPLAY */
  display?: string;
  /** 'core' skips shared memory (the benchmark's comparison, tests); default: 'core' when $FERNHILFE_CAPTURE=core, else 'auto' */
  method?: 'auto' | 'core';
}
