import { Socket, createServer } from 'node:net';
import { FrameDecoder, FrameKind, type Frame } from '@fernhilfe/protocol';

/**
 * A plain TCP proxy between the endpoints and the server, for network drops:
 *
 *   endpoint  <--tcp-->  proxy (127.0.0.1, port 0)  <--tcp-->  server
 *
 * It forwards bytes unchanged (the WebSocket handshake and frames pass through as they are), tells
 * connections apart by the path of the upgrade request (/ws/customer, /ws/technician), records every
 * byte per connection and direction, and lets the test
 *   - cut(side): destroy both sockets of every open connection of that endpoint (what a flaky Wi-Fi or
 *     an idle-cutting proxy does: no close frame, the server and the endpoint each just see the drop);
 *   - cut(side, { halfOpen: true }): destroy only the endpoint's socket; the server's stays open and what
 *     it sends disappears (a NAT that forgot the connection: the server does not notice the drop);
 *   - block(ms, side?): refuse new connections (of that endpoint) for a while, so a reconnect has to wait.
 */
export type Side = 'customer' | 'technician';

export interface ProxiedConnection {
  /** 1, 2, … in the order the proxy accepted them */
  id: number;
  side: Side | undefined;
  /** request path with query, e.g. /ws/technician?ticket=… */
  path: string;
  open: boolean;
  /** raw bytes endpoint -> server (HTTP upgrade, then masked WebSocket frames) */
  fromEndpoint(): Buffer;
  /** raw bytes server -> endpoint */
  fromServer(): Buffer;
  /** the protocol frames the endpoint sent, decoded from its WebSocket messages */
  endpointFrames(): Frame[];
  /** the protocol frames the server sent */
  serverFrames(): Frame[];
}

export interface CutProxy {
  /** ws://127.0.0.1:PORT */
  url: string;
  cut(side: Side | 'both', opts?: { halfOpen?: boolean }): number;
  block(ms: number, side?: Side): void;
  connections(side?: Side): ProxiedConnection[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Conn extends ProxiedConnection {
  halfOpen: boolean;
  client: Socket;
  upstream: Socket;
  up: Buffer[];
  down: Buffer[];
}

/** `target`: the real server, http://host:port or ws://host:port. */
export async function startCutProxy(target: string): Promise<CutProxy> {
  const { hostname, port: targetPort } = new URL(target.replace(/^ws/, 'http'));
  const conns: Conn[] = [];
  const blocked = { customer: 0, technician: 0 };

  const server = createServer((client) => {
    const id = conns.length + 1;
    const upstream = new Socket();
    const conn: Conn = {
      id,
      side: undefined,
      path: '',
      open: true,
      halfOpen: false,
      client,
      upstream,
      up: [],
      down: [],
      fromEndpoint: () => Buffer.concat(conn.up),
      fromServer: () => Buffer.concat(conn.down),
      endpointFrames: () => protocolFrames(Buffer.concat(conn.up), true),
      serverFrames: () => protocolFrames(Buffer.concat(conn.down), false),
    };
    conns.push(conn);
    const drop = () => {
      conn.open = false;
      client.destroy();
      if (!conn.halfOpen) upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', () => {
      conn.halfOpen = false;
      drop();
    });
    upstream.connect(Number(targetPort), hostname);
    let head = '';
    client.on('data', (chunk: Buffer) => {
      conn.up.push(Buffer.from(chunk));
      if (!conn.side) {
        head += chunk.toString('latin1');
        const line = head.split('\r\n')[0] ?? '';
        if (!head.includes('\r\n')) return void upstream.write(chunk);
        conn.path = line.split(' ')[1] ?? '';
        conn.side = conn.path.startsWith('/ws/technician') ? 'technician' : 'customer';
        if (Date.now() < blocked[conn.side]) return drop();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (conn.halfOpen) return; // into the void
      conn.down.push(Buffer.from(chunk));
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const c of conns) {
        c.client.destroy();
        c.upstream.destroy();
      }
      server.close(() => resolve());
    }));

  return {
    url: `ws://127.0.0.1:${port}`,
    cut(side, opts = {}) {
      let n = 0;
      for (const c of conns) {
        if (!c.open || (side !== 'both' && c.side !== side)) continue;
        c.open = false;
        c.halfOpen = Boolean(opts.halfOpen);
        c.client.destroy();
        if (!c.halfOpen) c.upstream.destroy();
        n++;
      }
      return n;
    },
    block(ms, side) {
      const until = Date.now() + ms;
      if (side !== 'technician') blocked.customer = until;
      if (side !== 'customer') blocked.technician = until;
    },
    connections: (side) => conns.filter((c) => side === undefined || c.side === side),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Reads a recorded TCP stream of one WebSocket direction: skips the HTTP upgrade, unmasks the frames
 * (`masked`: endpoint -> server), joins binary messages into the byte stream, and cuts that into
 * protocol frames. Enough of RFC 6455 for what `ws` sends here (no extensions).
 */
export function protocolFrames(stream: Buffer, masked: boolean): Frame[] {
  const start = stream.indexOf('\r\n\r\n');
  if (start < 0) return [];
  let at = start + 4;
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  while (at + 2 <= stream.length) {
    const opcode = stream[at]! & 0x0f;
    let length = stream[at + 1]! & 0x7f;
    const hasMask = (stream[at + 1]! & 0x80) !== 0;
    let p = at + 2;
    if (length === 126) {
      if (p + 2 > stream.length) break;
      length = stream.readUInt16BE(p);
      p += 2;
    } else if (length === 127) {
      if (p + 8 > stream.length) break;
      length = Number(stream.readBigUInt64BE(p));
      p += 8;
    }
    const mask = hasMask ? stream.subarray(p, p + 4) : undefined;
    if (hasMask) p += 4;
    if (p + length > stream.length || hasMask !== masked) break;
    const payload = Buffer.from(stream.subarray(p, p + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
    at = p + length;
    if (opcode === 0x2 || opcode === 0x0) frames.push(...decoder.push(payload));
    if (opcode === 0x8) break;
  }
  return frames;
}

/** The JSON control messages among `frames`. */
export function controlMessages(frames: Frame[]): Record<string, unknown>[] {
  return frames.filter((f) => f.kind === FrameKind.control).map((f) => JSON.parse(Buffer.from(f.body).toString('utf8')) as Record<string, unknown>);
}
