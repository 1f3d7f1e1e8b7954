// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- x11 ships no types: this brings ours into every program that compiles this file (the tests too)
/// <reference path="./x11.d.ts" />
import x11, { type Callback, type Extensions, type PointerInfo, type Property, type RawEvent, type RawXError, type XClient } from 'x11';
import { Emitter } from '@fernhilfe/protocol';
import { X11Error } from './errors.js';

/** A parsed event: `type` (without the SendEvent bit), `name` for core events, `rawData`. */
export type XEvent = RawEvent;

export interface X11ConnectionEvents extends Record<string, unknown> {
  event: RawEvent;
  /** an X error for a request sent without a callback (void requests) */
  error: X11Error;
  close: { error?: Error };
}

export interface X11OpenOptions {
  /** MIT-SHM descriptor passing on the socket (screen capture); off for input and clipboard */
  shm?: boolean;
  /** how long the connection setup may take */
  timeoutMs?: number;
}

/**
 * One connection to the X server through the pure-JS `x11` package (node-x11): it speaks the
 * protocol, reads $XAUTHORITY, parses events and packs requests. What this thin layer adds: promises
 * for requests with replies (rejected when the connection closes, which the package leaves pending),
 * a connection state, and typed events. Void requests go straight to `client` (the package's own API).
 */
export class X11Connection extends Emitter<X11ConnectionEvents> {
  private closed = false;
  private closing = false;
  private readonly pending = new Set<(err: Error) => void>();

  private constructor(readonly client: XClient) {
    super();
    client.on('event', (e: RawEvent) => this.emit('event', e));
    // the package emits both X errors (with a numeric `error` code) and socket errors here
    client.on('error', (err: RawXError) => (typeof err.error === 'number' ? this.onXError(err) : this.finish(err)));
    client.on('end', () => this.finish());
    client.stream.on('close', () => this.finish());
    client.stream.on('error', (err: Error) => this.finish(err));
  }

  /** Connects to `display` (":7", "unix:7", "host:7"); rejects with an X11Error('connect'). */
  static open(display: string, opts: X11OpenOptions = {}): Promise<X11Connection> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client?.stream?.destroy();
        reject(X11Error.connect(display, err));
      };
      const timer = setTimeout(() => fail(new Error('no answer from the X server')), opts.timeoutMs ?? 10_000);
      let client: XClient | undefined;
      try {
        client = x11.createClient({ display, shm: opts.shm ?? false }, (err, info) => {
          if (err || !client) return fail(err);
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          client.removeListener('error', fail);
          resolve(new X11Connection(info.client));
        });
        client.on('error', fail); // a refused setup (authorisation) arrives as 'error', not through the callback
      } catch (err) {
        fail(err);
      }
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.closing;
  }

  get root(): number {
    return this.client.display.screen[0]!.root;
  }

  get screen(): { width: number; height: number } {
    const s = this.client.display.screen[0]!;
    return { width: s.pixel_width, height: s.pixel_height };
  }

  get keycodes(): { min: number; max: number } {
    return { min: this.client.display.min_keycode, max: this.client.display.max_keycode };
  }

  /** Sends a request that has a reply (`send` passes the callback to the package) and resolves with it. */
  reply<T>(send: (cb: Callback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.isOpen) return reject(X11Error.closed());
      const onClose = (err: Error) => reject(err);
      this.pending.add(onClose);
      try {
        send((err, value) => {
          this.pending.delete(onClose);
          if (err) reject(X11Error.protocol(err));
          else resolve(value);
          return true; // handled: not also an 'error' event
        });
      } catch (err) {
        this.pending.delete(onClose);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** An extension (X.require): its requests and constants, or X11Error('no-extension'). */
  extension<K extends keyof Extensions>(name: K): Promise<Extensions[K]> {
    return this.reply<Extensions[K]>((cb) => this.client.require(name, cb)).catch((err: unknown) => {
      throw err instanceof X11Error && err.reason === 'closed' ? err : X11Error.noExtension(name, err);
    });
  }

  /** A round trip: every request sent before has been processed when this resolves. */
  sync(): Promise<void> {
    return this.reply<void>((cb) => this.client.sync((err) => cb(err, undefined)));
  }

  /** Flushes, closes the socket and waits until it is gone (at most `timeoutMs`). */
  async close(timeoutMs = 1_000): Promise<void> {
    if (!this.isOpen) return;
    this.closing = true;
    const gone = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
      this.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      this.client.terminate();
    } catch {
      // the socket is already gone
    }
    await gone;
    this.finish();
  }

  private onXError(err: RawXError): void {
    if (!this.closed) this.emit('error', X11Error.protocol(err));
  }

  private finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.client.stream.destroyed) this.client.stream.destroy();
    const err = X11Error.closed(error);
    for (const reject of [...this.pending]) reject(err);
    this.pending.clear();
    this.emit('close', error ? { error } : {});
  }
}

/** Event masks, event type numbers and keysyms as the package defines them. */
export const { eventMask, eventTypes, keySyms, InputOnly } = x11;

// Promise forms of the core requests with replies that input, the clipboard and the tests use.

export function internAtom(x: X11Connection, name: string): Promise<number> {
  return x.reply<number>((cb) => x.client.InternAtom(false, name, cb));
}

/** rows[keycode - min][column]: the whole core keyboard mapping. */
export function getKeyboardMapping(x: X11Connection): Promise<number[][]> {
  const { min, max } = x.keycodes;
  return x.reply<number[][]>((cb) => x.client.GetKeyboardMapping(min, max - min + 1, cb));
}

/** keycodes[modifier 0..7] (Shift, Lock, Control, Mod1..Mod5), empty slots dropped. */
export async function getModifierMapping(x: X11Connection): Promise<number[][]> {
  const rows = await x.reply<number[][]>((cb) => x.client.GetModifierMapping(cb));
  return rows.map((row) => row.filter((k) => k !== 0));
}

/** Where the pointer is on the root window, and the key/button state mask. */
export async function queryPointer(x: X11Connection): Promise<{ x: number; y: number; mask: number }> {
  const p = await x.reply<PointerInfo>((cb) => x.client.QueryPointer(x.root, cb));
  return { x: p.rootX, y: p.rootY, mask: p.keyMask };
}

/** The 256 key bits: which keycodes are down right now. */
export async function queryKeymap(x: X11Connection): Promise<Buffer> {
  return Buffer.from(await x.reply<Buffer>((cb) => x.client.QueryKeymap(cb)));
}

export function getSelectionOwner(x: X11Connection, selection: number): Promise<number> {
  return x.reply<number>((cb) => x.client.GetSelectionOwner(selection, cb));
}

export interface PropertyValue {
  type: number;
  format: number;
  bytesAfter: number;
  data: Buffer;
}

const ANY_PROPERTY_TYPE = 0;

/** Reads up to `maxBytes` of a property (from offset 0), optionally deleting it afterwards. */
export async function getProperty(x: X11Connection, window: number, property: number, remove: boolean, maxBytes: number): Promise<PropertyValue> {
  const p = await x.reply<Property>((cb) => x.client.GetProperty(remove ? 1 : 0, window, property, ANY_PROPERTY_TYPE, 0, Math.ceil(maxBytes / 4), cb));
  return { type: p.type, format: p.format, bytesAfter: p.bytesAfter, data: Buffer.from(p.data) };
}
