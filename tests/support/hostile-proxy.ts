import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { FrameDecoder, FrameKind, PeerType, SEALED_HEADER, encodeFrame, encodeSealedHeader, type Frame, type HandshakeStep } from '@fernhilfe/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/**
 * A hostile relay for tests: a WebSocket man-in-the-middle between the endpoints and the real server.
 *
 *   endpoint  <--ws-->  proxy (127.0.0.1, port 0)  <--ws-->  server
 *
 * It forwards /ws/customer and /ws/technician?ticket=... (query string kept), records every byte it
 * receives from either side, and cuts each direction's byte stream into outer frames (FrameDecoder, so
 * frames may span WebSocket messages). Each frame goes through the hook installed for its direction,
 * which returns the frames to send instead (undefined: forward unchanged; []: drop; two: duplicate;
 * modified copies; frames kept back and released later...). Frames are re-encoded with encodeFrame, so
 * a hook that shortens a body gets a consistent length prefix. Hooks run synchronously in arrival
 * order, so what a hook returns keeps its place in the stream.
 */
export type Role = 'customer' | 'technician';
export type Direction = 'customer->server' | 'server->customer' | 'technician->server' | 'server->technician';

export interface SeenFrame extends Frame {
  direction: Direction;
  /** 1, 2, ... in the order the proxy accepted connections */
  connection: number;
}

/** Returns the frames to send in place of `frame`; undefined forwards it unchanged. */
export type FrameHook = (frame: SeenFrame) => readonly Frame[] | undefined | void;

export interface HostileProxy {
  /** ws://127.0.0.1:PORT, a base for srv.technician({ url }); the customer needs `${url}/ws/customer` */
  url: string;
  port: number;
  /** Installs (or with undefined removes) the hook for one direction; returns a remover. */
  hook(direction: Direction, fn: FrameHook | undefined): () => void;
  /** Every byte the proxy received, both directions, all connections, in arrival order (upgrade requests included). */
  captured(): Buffer;
  /** Number of WebSocket connections forwarded so far. */
  readonly connections: number;
  /** Anything a hook threw or the proxy choked on; a test should expect this to be empty. */
  readonly errors: readonly unknown[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Close codes that may be sent in a close frame (1005, 1006 and 1015 only ever appear locally). */
function sendableCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** `target`: the real server, http://host:port or ws://host:port. */
export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const targetWs = target.replace(/^http/, 'ws').replace(/\/$/, '');
  const chunks: Buffer[] = [];
  const hooks = new Map<Direction, FrameHook>();
  const errors: unknown[] = [];
  const sockets = new Set<WebSocket>();
  let connections = 0;

  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const recordHead = (req: IncomingMessage) => {
    const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    chunks.push(Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'));
  };

  /** One direction of one connection: bytes in -> frames -> hook -> frames out. */
  const pipe = (from: WebSocket, to: WebSocket, direction: Direction, connection: number) => {
    const decoder = new FrameDecoder();
    from.on('message', (data) => {
      const bytes = toBuffer(data);
      chunks.push(Buffer.from(bytes)); // a copy, so that nothing done to the frames later alters the record
      const out: Uint8Array[] = [];
      try {
        for (const frame of decoder.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
          const seen: SeenFrame = { kind: frame.kind, body: frame.body, direction, connection };
          const hook = hooks.get(direction);
          const replacement = hook ? hook(seen) : undefined;
          for (const f of replacement ?? [frame]) out.push(encodeFrame(f.kind, f.body));
        }
      } catch (err) {
        errors.push(err);
        from.terminate();
        to.terminate();
        return;
      }
      if (out.length > 0 && to.readyState === WebSocket.OPEN) to.send(Buffer.concat(out));
    });
    // a close is passed on after everything sent before it (ws queues the close frame behind the data)
    from.on('close', (code, reason) => {
      if (to.readyState === WebSocket.OPEN) {
        if (sendableCode(code)) to.close(code, reason);
        else to.close();
      } else if (to.readyState === WebSocket.CONNECTING) {
        to.terminate();
      }
    });
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const role: Role | undefined = url.pathname === '/ws/customer' ? 'customer' : url.pathname === '/ws/technician' ? 'technician' : undefined;
    recordHead(req);
    if (!role) return refuse(socket, 404, 'Not Found');
    socket.on('error', () => undefined);

    // connect upstream first, so that a refusal (401 for a bad ticket) reaches the endpoint as such
    const up = new WebSocket(`${targetWs}${url.pathname}${url.search}`, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    up.on('error', (err) => {
      if (up.readyState !== WebSocket.OPEN && !socket.destroyed && socket.writable) refuse(socket, 502, 'Bad Gateway');
      else errors.push(err);
    });
    up.on('unexpected-response', (clientReq, res) => {
      refuse(socket, res.statusCode ?? 502, res.statusMessage ?? 'Refused');
      clientReq.destroy();
    });
    socket.on('close', () => {
      if (up.readyState === WebSocket.CONNECTING) up.terminate();
    });
    up.on('open', () => {
      if (socket.destroyed) return up.terminate();
      wss.handleUpgrade(req, socket, head, (down) => {
        const connection = ++connections;
        sockets.add(up);
        sockets.add(down);
        up.on('close', () => sockets.delete(up));
        down.on('close', () => sockets.delete(down));
        down.on('error', () => undefined);
        pipe(down, up, `${role}->server`, connection);
        pipe(up, down, `server->${role}`, connection);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      http.close(() => resolve());
    }));

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    hook(direction, fn) {
      if (fn) hooks.set(direction, fn);
      else hooks.delete(direction);
      return () => {
        if (hooks.get(direction) === fn) hooks.delete(direction);
      };
    },
    captured: () => Buffer.concat(chunks),
    get connections() {
      return connections;
    },
    errors,
    close,
    [Symbol.asyncDispose]: close,
  };
}

// ---- predicates and builders for hooks ----

/** A PEER frame carrying a SEALED payload (u8 SEALED | u64 seq | ciphertext). */
export function isSealed(frame: Frame): boolean {
  return frame.kind === FrameKind.peer && frame.body[0] === PeerType.sealed && frame.body.length >= SEALED_HEADER;
}

/** The sequence number in a SEALED frame's header. */
export function sealedSeq(frame: Frame): bigint {
  if (!isSealed(frame)) throw new Error('not a sealed frame');
  return new DataView(frame.body.buffer, frame.body.byteOffset, frame.body.byteLength).getBigUint64(1);
}

/** A PEER frame carrying a HANDSHAKE payload, optionally of one step. */
export function isHandshake(frame: Frame, step?: HandshakeStep): boolean {
  return frame.kind === FrameKind.peer && frame.body[0] === PeerType.handshake && (step === undefined || frame.body[1] === step);
}

/** A copy of `frame` with one bit of its body flipped (`bit` 0 = least significant). */
export function flipBit(frame: Frame, byteIndex: number, bit = 0): Frame {
  if (byteIndex < 0 || byteIndex >= frame.body.length) throw new RangeError(`byte ${byteIndex} is outside a ${frame.body.length}-byte body`);
  const body = frame.body.slice();
  body[byteIndex]! ^= 1 << bit;
  return { kind: frame.kind, body };
}

/** A copy of `frame` with its body cut to `length` bytes (the outer length prefix follows on re-encoding). */
export function truncate(frame: Frame, length: number): Frame {
  return { kind: frame.kind, body: frame.body.slice(0, length) };
}

/** A forged SEALED frame: a well-formed header with `seq` and `ciphertextLength` random bytes. */
export function forgeSealed(seq: bigint, ciphertextLength: number): Frame {
  const body = new Uint8Array(SEALED_HEADER + ciphertextLength);
  body.set(encodeSealedHeader(seq));
  crypto.getRandomValues(body.subarray(SEALED_HEADER));
  return { kind: FrameKind.peer, body };
}

// ---- searching recorded bytes for secrets ----

export interface Needle {
  label: string;
  bytes: Buffer;
}

/**
 * The forms in which `value` could leak: raw bytes, hex (lower and upper case), and base64 / base64url.
 * Base64 depends on where the value starts in the encoded stream, so for each of the three alignments
 * the part made of whole 3-byte groups is searched (parts under 6 characters are skipped: too short to
 * mean anything in a megabyte of ciphertext).
 */
export function encodedForms(label: string, value: Uint8Array): Needle[] {
  const raw = Buffer.from(value);
  const out: Needle[] = [
    { label: `${label} (raw)`, bytes: raw },
    { label: `${label} (hex)`, bytes: Buffer.from(raw.toString('hex'), 'latin1') },
    { label: `${label} (HEX)`, bytes: Buffer.from(raw.toString('hex').toUpperCase(), 'latin1') },
  ];
  for (let k = 0; k < 3; k++) {
    const whole = Math.floor((raw.length - k) / 3) * 3;
    if (whole <= 0) continue;
    const part = raw.subarray(k, k + whole);
    const b64 = part.toString('base64');
    if (b64.length < 6) continue;
    out.push({ label: `${label} (base64 @${k})`, bytes: Buffer.from(b64, 'latin1') });
    const b64url = part.toString('base64url');
    if (b64url !== b64) out.push({ label: `${label} (base64url @${k})`, bytes: Buffer.from(b64url, 'latin1') });
  }
  return out;
}

/** A text secret (a password): UTF-8 as given, lower and upper case, UTF-16LE, each in every encodedForm. */
export function textForms(label: string, text: string): Needle[] {
  const variants = new Map<string, string>([
    ['as typed', text],
    ['lower case', text.toLowerCase()],
    ['upper case', text.toUpperCase()],
  ]);
  const out: Needle[] = [];
  const seen = new Set<string>();
  for (const [name, v] of variants) {
    if (seen.has(v)) continue;
    seen.add(v);
    out.push(...encodedForms(`${label} ${name}`, Buffer.from(v, 'utf8')));
    out.push({ label: `${label} ${name} (UTF-16LE)`, bytes: Buffer.from(v, 'utf16le') });
  }
  return out;
}

/** Labels of the needles found in `haystack` (empty when nothing leaked). */
export function findNeedles(haystack: Buffer, needles: readonly Needle[]): string[] {
  return needles.filter((n) => n.bytes.length > 0 && haystack.includes(n.bytes)).map((n) => n.label);
}
