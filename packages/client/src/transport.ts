/**
 * The byte pipe between an endpoint and the server. The session does not know what carries it:
 * a browser WebSocket, the `ws` package in Node, or (later) a WebRTC data channel.
 */
export interface Transport {
  send(bytes: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** bytes queued but not yet sent */
  readonly bufferedAmount: number;
  onMessage: (bytes: Uint8Array) => void;
  onClose: (info: { code: number; reason: string }) => void;
}

export type TransportFactory = (url: string) => Promise<Transport>;

/** The subset of the standard WebSocket that we use; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: never) => void): void;
}
/** Makes a WebSocket: `(url) => new WebSocket(url)` with the browser's or the `ws` package's class. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/**
 * Adapts an open WebSocket (the browser's, the `ws` package's, or one a `ws` server accepted) to a
 * Transport that receives ArrayBuffers.
 */
export function openSocketTransport(ws: WebSocketLike): Transport {
  ws.binaryType = 'arraybuffer';
  const transport: Transport = {
    send: (bytes) => ws.send(bytes),
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    onMessage: () => undefined,
    onClose: () => undefined,
  };
  ws.addEventListener('message', (event: { data: unknown }) => {
    if (event.data instanceof ArrayBuffer) transport.onMessage(new Uint8Array(event.data));
  });
  ws.addEventListener('close', (event: { code: number; reason: string }) => {
    transport.onClose({ code: event.code, reason: String(event.reason ?? '') });
  });
  return transport;
}

/** Opens a WebSocket and adapts it to a Transport. Rejects with the HTTP refusal when the upgrade fails. */
export function webSocketTransport(makeWebSocket: WebSocketFactory): TransportFactory {
  return (url) =>
    new Promise((resolve, reject) => {
      const ws = makeWebSocket(url);
      ws.binaryType = 'arraybuffer';
      let opened = false;
      ws.addEventListener('open', () => {
        opened = true;
        resolve(openSocketTransport(ws));
      });
      ws.addEventListener('error', () => {
        if (!opened) reject(new Error(`cannot connect to ${url.replace(/\?.*$/, '')}`));
      });
      ws.addEventListener('close', (event: { code: number }) => {
        if (!opened) reject(new Error(`connection refused (${event.code})`));
      });
    });
}

/**
 * Wraps a factory so that every message in both directions is cut into pieces of `size` bytes
 * (noVNC's trick): any code that assumes a frame arrives whole fails against it.
 */
export function chunkedTransport(inner: TransportFactory, size = 1): TransportFactory {
  return async (url) => {
    const t = await inner(url);
    const wrapped: Transport = {
      send(bytes) {
        for (let i = 0; i < bytes.length; i += size) t.send(bytes.slice(i, i + size));
      },
      close: (code, reason) => t.close(code, reason),
      get bufferedAmount() {
        return t.bufferedAmount;
      },
      onMessage: () => undefined,
      onClose: () => undefined,
    };
    t.onMessage = (bytes) => {
      for (let i = 0; i < bytes.length; i += size) wrapped.onMessage(bytes.subarray(i, i + size));
    };
    t.onClose = (info) => wrapped.onClose(info);
    return wrapped;
  };
}
