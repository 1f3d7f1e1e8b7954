import type { PointerButton } from '@fernhilfe/protocol';

/**
 * What the agent needs from the customer's desktop, one implementation per platform (platform/x11/
 * today; Windows and Wayland fill the same shapes): the screen (`ScreenCapture`, with its
 * `MonitorList`), input (`InputInjector`), the clipboard (`ClipboardBackend`), and a `Platform` that
 * bundles them with its name and says whether it can run here. `screen/`, `input/` and `clipboard/`
 * use only these; the one table in platform/index.ts picks the platform at start.
 */

/** A rectangle in desktop pixels (the whole virtual screen; X11: the root window). */
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

/** The customer's monitors and the one that is shared (changes come as the capture's `monitors` event). */
export interface MonitorList {
  readonly monitors: readonly Monitor[];
  readonly selected: Monitor;
  /** The area captured from now on (even width and height). The next grab is a full one. */
  select(monitorId: string): boolean;
}

/**
 * A platform's screen capture. Work is driven by change: `damage` says something changed, `grab()`
 * returns the selected monitor's pixels, or undefined when nothing on that monitor changed and no
 * full picture was asked.
 */
export interface ScreenCapture extends MonitorList {
  /** how pixels are read, for logs and the benchmark (X11: 'shm' = shared memory, 'core' = copy through the socket) */
  readonly method: string;
  /** why this method and not a better one, in plain words, where the platform chose at run time (Windows: "DuplicateOutput failed: E_NOTIMPL") */
  readonly methodReason?: string;
  /** 'pointer-moved' events come, so the pointer need not be polled often while it is still */
  readonly pointerEvents: boolean;
  grab(opts?: { full?: boolean }): Promise<CapturedFrame | undefined>;
  cursorShape(): Promise<CursorShape | undefined>;
  /** the pointer in screen pixels, undefined when it is on no screen of this display */
  pointer(): Promise<{ x: number; y: number } | undefined>;
  on<K extends keyof ScreenCaptureEvents>(event: K, listener: (value: ScreenCaptureEvents[K]) => void): () => void;
  close(): void;
}

export interface CaptureOptions {
  /** the display to share where a platform has several (X11: a DISPLAY value); default: the one the environment names */
  display?: string;
  /** 'core': the platform's plain path (X11: core GetImage, no shared memory; the benchmark's comparison, tests); default: 'core' when $FERNHILFE_CAPTURE=core, else 'auto' */
  method?: 'auto' | 'core';
}

/**
 * Puts input into the customer's desktop. Coordinates are in the desktop's own pixels (the whole
 * virtual screen); the input feature maps from the video frame.
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

/** The customer's system clipboard (text only). */
export interface ClipboardBackend {
  /**
   * Calls `listener` whenever another application copies (not for our own writes). Nothing is read
   * until the listener calls `read()`: what the customer copies while sharing is off is never read.
   * Reads run one at a time, in order.
   */
  onCopy(listener: (read: () => Promise<string | undefined>) => void): () => void;
  /** Makes `text` the clipboard's content (the customer can paste it anywhere). */
  write(text: string): Promise<void>;
  /** The clipboard's current text, or undefined when it holds none (or no text). */
  read(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Where a platform finds the desktop: the process environment at start (DISPLAY for X11); tests pass their own. */
export type PlatformEnv = Readonly<Record<string, string | undefined>>;

/** One platform's backends: a folder platform/<name>/ exports one of these, and the table in platform/index.ts lists it. */
export interface Platform {
  readonly name: string;
  /**
   * Undefined when this platform can run with `env`, else why not in plain words naming what is
   * missing ("DISPLAY is not set"). A display named outright in `capture` counts as the environment's.
   */
  available(env: PlatformEnv, capture?: CaptureOptions): string | undefined;
  /** Where the customer's downloads go, where the platform knows better than files/downloads.ts (Windows: the known folder). */
  downloadsFolder?(env: PlatformEnv): string | undefined;
  openCapture(env: PlatformEnv, opts?: CaptureOptions): Promise<ScreenCapture>;
  openInjector(env: PlatformEnv): Promise<InputInjector>;
  openClipboard(env: PlatformEnv): Promise<ClipboardBackend>;
  /** the desktop's shell for the customer's face (Windows); undefined: the agent opens the page itself (ui/open-browser.ts) */
  shell?(env: PlatformEnv): DesktopShell;
  /** the customer's session panel: a small window above every other one (panel/ draws it); undefined where the platform has none */
  openPanel?(env: PlatformEnv, opts: { title: string }): Promise<PanelWindow>;
  /**
   * The desktop's notifications, where requests reach the customer when there is no panel (Wayland:
   * org.freedesktop.Notifications); rejects with NotificationError when the desktop offers none.
   * `appName`: the operator's product name, shown as the sender.
   */
  openNotifier?(env: PlatformEnv, opts: { appName: string }): Promise<DesktopNotifier>;
  /** why this platform serves `env`, in plain words for the log ("a GNOME Wayland session (…)"); undefined: its name says enough */
  chosenBecause?(env: PlatformEnv): string;
}

/** What the customer's face needs from a desktop's shell (platform/windows/shell.ts). */
export interface DesktopShell {
  /** opens `url` in the customer's default browser; false when nothing could be started */
  openUrl(url: string): Promise<boolean>;
  /** starts `file` with `args` again with administrator rights (the system asks the customer); false when it did not start */
  restartElevated(file: string, args: readonly string[]): Promise<boolean>;
  /** a plain native window titled `title` for a customer without a browser (dialog/dialog-ui.ts fills it) */
  openDialog(title: string): NativeDialog;
  /** who runs elevated now (cheap: call it every second or so) */
  elevation(): DesktopElevation;
}

/** What input can reach on the desktop (Windows: UIPI and the secure desktop). */
export interface DesktopElevation {
  /** the window in front belongs to an elevated process (input into it needs this program elevated) */
  foregroundElevated: boolean;
  /** this program runs elevated */
  selfElevated: boolean;
  /** the UAC prompt or the lock screen is showing: nothing can be seen or controlled */
  secureDesktop: boolean;
}

/** A plain native window: a read-only text and up to three buttons. */
export interface NativeDialog {
  /** shows `text` and one button per label, in order (the others hidden) */
  show(text: string, labels: readonly string[]): void;
  /** the customer clicked the button at `index` of the labels shown */
  onClick(listener: (index: number) => void): void;
  /** the customer closed the window */
  onClose(listener: () => void): void;
  close(): void;
}

/** A key the session panel reacts to: the panel works without a mouse. */
export type PanelKey = 'tab' | 'shift-tab' | 'enter' | 'escape';

/**
 * The customer's session panel on the desktop (X11: platform/x11/panel-window.ts, Windows:
 * platform/windows/panel-window.ts): a small window on
 * top of every other, without a taskbar entry, in a corner of the screen, that shows a picture the
 * agent drew (panel/render.ts) and reports clicks and keys. The customer can drag it by `dragArea`.
 */
export interface PanelWindow {
  /** the desktop's scaling for a readable panel: 1 at 96 dpi, 2 at 200 % */
  readonly scale: number;
  /** shows `image` (rows of BGRX pixels); the window takes its size */
  show(image: { width: number; height: number; data: Buffer }, dragArea: Rect): void;
  /** a click (press and release of the main button in the same spot), in the picture's pixels */
  onClick(listener: (x: number, y: number) => void): void;
  onKey(listener: (key: PanelKey) => void): void;
  /** `scale` changed (Windows: the window moved to a monitor of another DPI): the panel is drawn again */
  onRescale?(listener: () => void): void;
  close(): Promise<void>;
}

/** One desktop notification: a title, a sentence, and the answers as buttons. */
export interface DesktopNote {
  title: string;
  body: string;
  /** the buttons in order: `key` comes back in onAction; shown only where the notifier's `actions` is true */
  actions: ReadonlyArray<{ key: string; label: string }>;
}

/**
 * The desktop's own notifications (Wayland: platform/wayland/notifier.ts), for questions that need
 * the customer's answer where no session panel can stay on top (notify/request-notifications.ts).
 * A note is urgent: it stays until it is answered, dismissed or withdrawn.
 */
export interface DesktopNotifier {
  /** the desktop shows buttons in its notifications; without them a note must say where to answer */
  readonly actions: boolean;
  /** shows `note`; resolves with its id */
  show(note: DesktopNote): Promise<number>;
  /** takes the note away (answered elsewhere, withdrawn, the session over) */
  withdraw(id: number): Promise<void>;
  /** the customer pressed the button `key` of note `id` */
  onAction(listener: (id: number, key: string) => void): void;
  /** note `id` is gone (the customer dismissed it, or it was withdrawn) */
  onClosed(listener: (id: number) => void): void;
  close(): Promise<void>;
}
