import { eventTypes, type X11Connection, type XEvent } from './client.js';

/** The fields of the core events we read, as the `x11` package parses them. */
export interface CoreEvents {
  KeyPress: { keycode: number; time: number };
  ButtonPress: { keycode: number; rootx: number; rooty: number };
  ButtonRelease: { keycode: number; rootx: number; rooty: number };
  MotionNotify: { rootx: number; rooty: number };
  /** state 0: new value, 1: deleted */
  PropertyNotify: { wid: number; atom: number; time: number; state: number };
  SelectionClear: { time: number; owner: number; selection: number };
  SelectionRequest: { time: number; owner: number; requestor: number; selection: number; target: number; property: number };
  SelectionNotify: { time: number; requestor: number; selection: number; target: number; property: number };
  /** request 0: modifiers, 1: keyboard, 2: pointer */
  MappingNotify: { request: number; firstKeyCode: number; count: number };
}

export type { XEvent };
export type CoreEvent<K extends keyof CoreEvents> = XEvent & CoreEvents[K];

/** Whether `e` is the core event `name` (an extension event of the same name has another type). */
export function isEvent<K extends keyof CoreEvents>(e: XEvent, name: K): e is CoreEvent<K> {
  return e.name === name && e.type === eventTypes[name];
}

/**
 * Waits for the next event that matches, registered before the request that causes it (so it cannot
 * be missed), with a timeout. Used for SelectionNotify and the PropertyNotify steps of INCR.
 */
export class EventWaiter {
  private readonly waiters = new Set<{ match: (e: XEvent) => boolean; done: (e: XEvent | undefined) => void }>();

  constructor(x: X11Connection) {
    x.on('event', (e) => {
      for (const w of [...this.waiters]) if (w.match(e)) w.done(e);
    });
    x.on('close', () => {
      for (const w of [...this.waiters]) w.done(undefined);
    });
  }

  /** Resolves with the next event `name` that matches, or undefined after `timeoutMs` (or when the connection closes). */
  next<K extends keyof CoreEvents>(name: K, match: (e: CoreEvent<K>) => boolean, timeoutMs: number): Promise<CoreEvent<K> | undefined> {
    return new Promise((resolve) => {
      const w = {
        match: (e: XEvent) => isEvent(e, name) && match(e),
        done: (e: XEvent | undefined) => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve(e && isEvent(e, name) ? e : undefined);
        },
      };
      const timer = setTimeout(() => w.done(undefined), timeoutMs);
      this.waiters.add(w);
    });
  }
}
