import { InputOnly, X11Connection, eventMask } from '../../../packages/agent/src/x11/client.js';
import { isEvent } from '../../../packages/agent/src/x11/events.js';

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
