import type { Transport, TransportFactory } from '@fernhilfe/client';

/**
 * A transport that the bench can take over: normally it passes everything to the session; once
 * `divert(fn)` is called, incoming bytes go to `fn` instead (the unencrypted baseline), and `raw`
 * sends straight on the WebSocket. It also counts the bytes sent.
 */
export interface Tap {
  raw: Transport | undefined;
  sentBytes: number;
  divert(fn: ((bytes: Uint8Array) => void) | undefined): void;
}

export function tapTransport(inner: TransportFactory): { factory: TransportFactory; tap: Tap } {
  let diverted: ((bytes: Uint8Array) => void) | undefined;
  const tap: Tap = {
    raw: undefined,
    sentBytes: 0,
    divert: (fn) => void (diverted = fn),
  };
  const factory: TransportFactory = async (url) => {
    const t = await inner(url);
    const outer: Transport = {
      send: (bytes) => {
        tap.sentBytes += bytes.length;
        t.send(bytes);
      },
      close: (code, reason) => t.close(code, reason),
      get bufferedAmount() {
        return t.bufferedAmount;
      },
      onMessage: () => undefined,
      onClose: () => undefined,
    };
    t.onMessage = (bytes) => (diverted ? diverted(bytes) : outer.onMessage(bytes));
    t.onClose = (info) => outer.onClose(info);
    tap.raw = t;
    return outer;
  };
  return { factory, tap };
}
