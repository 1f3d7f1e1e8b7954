import { InputOnly, X11Connection, eventMask } from '../../../packages/agent/src/platform/x11/client.js';
import { isEvent } from '../../../packages/agent/src/platform/x11/events.js';

/**
 * A mapped X window of its own, on its own connection, that records the pointer events the X server
 * delivers to it: what an application under the pointer really receives (buttons 4/5 and 6/7 are the
 * wheel's two axes).
 */
export interface PointerRecorder {
  rect: { x: number; y: number; width: number; height: number };
  events: Array<{ kind: 'press' | 'release' | 'motion'; button: number; rootX: number; rootY: number }>;
  close(): void;
}

export async function openPointerRecorder(display: string, rect: PointerRecorder['rect']): Promise<PointerRecorder> {
  const x = await X11Connection.open(display);
  const id = x.client.AllocID();
  const mask = eventMask.ButtonPress | eventMask.ButtonRelease | eventMask.PointerMotion;
  x.client.CreateWindow(id, x.root, rect.x, rect.y, rect.width, rect.height, 0, 0, InputOnly, 0, { eventMask: mask });
  x.client.MapWindow(id);
  await x.sync();
  const events: PointerRecorder['events'] = [];
  x.on('event', (e) => {
    if (isEvent(e, 'ButtonPress')) events.push({ kind: 'press', button: e.keycode, rootX: e.rootx, rootY: e.rooty });
    else if (isEvent(e, 'ButtonRelease')) events.push({ kind: 'release', button: e.keycode, rootX: e.rootx, rootY: e.rooty });
    else if (isEvent(e, 'MotionNotify')) events.push({ kind: 'motion', button: 0, rootX: e.rootx, rootY: e.rooty });
  });
  return { rect, events, close: () => void x.close() };
}

/**
 * A mapped X window of its own that records every KeyPress the X server delivers to it (with no window
 * manager the focus follows the pointer: keep the pointer inside `rect`), with the X server's own
 * timestamps. `mark()` stamps "now" in the same clock (a PropertyNotify on the window), so a test can
 * ask what was typed after an instant without trusting when Node happened to read the event.
 */
export interface KeyRecorder {
  rect: { x: number; y: number; width: number; height: number };
  presses: Array<{ keycode: number; time: number }>;
  /** the X server's time now (ms, 32-bit) */
  mark(): Promise<number>;
  /**
   * The customer's own hand: this X client (not the agent) moves the pointer through XTEST, as
   * xdotool or a real mouse would; resolves with the X server's time right after the move.
   */
  localMove(px: number, py: number): Promise<number>;
  close(): void;
}

export async function openKeyRecorder(display: string, rect: KeyRecorder['rect']): Promise<KeyRecorder> {
  const x = await X11Connection.open(display);
  const id = x.client.AllocID();
  x.client.CreateWindow(id, x.root, rect.x, rect.y, rect.width, rect.height, 0, 0, InputOnly, 0, { eventMask: eventMask.KeyPress | eventMask.PropertyChange });
  x.client.MapWindow(id);
  await x.sync();
  const presses: KeyRecorder['presses'] = [];
  const marks: Array<(time: number) => void> = [];
  x.on('event', (e) => {
    if (isEvent(e, 'KeyPress')) presses.push({ keycode: e.keycode, time: e.time });
    else if (isEvent(e, 'PropertyNotify') && e.wid === id) marks.shift()?.(e.time);
  });
  const xtest = await x.extension('xtest');
  const STRING = 31;
  const WM_NAME = 39;
  const mark = () =>
    new Promise<number>((resolve) => {
      marks.push(resolve);
      x.client.ChangeProperty(0, id, WM_NAME, STRING, 8, Buffer.from('mark'));
    });
  return {
    rect,
    presses,
    mark,
    localMove: (px, py) => {
      xtest.FakeInput(xtest.MotionNotify, 0, 0, x.root, px, py);
      return mark();
    },
    close: () => void x.close(),
  };
}
