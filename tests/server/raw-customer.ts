import { FrameDecoder, FrameKind, decodeJson, encodeFrame, encodeJson, toCustomerSchema } from '@fernhilfe/protocol';
import { WebSocket, type ClientOptions } from 'ws';

/** What a raw client saw of its connection: the server's control messages and how it ended. */
export interface RawCustomer {
  ws: WebSocket;
  /** control messages from the server, decoded, in order */
  messages: { type: string; code?: string; retryAfterMs?: number }[];
  /** resolves with the close code and reason once the connection is closed */
  closed: Promise<{ code: number; reason: string }>;
  send(message: object): void;
  /** resolves once the server answered a ping, i.e. it has handled everything sent before */
  roundTrip(): Promise<void>;
}

/**
 * A customer connection at the level an attacker sees it: any source address on loopback, any
 * headers, raw frames. Resolves when the connection is open; rejects with the HTTP status of a
 * refused upgrade (`Error("status 403")`).
 */
export async function rawCustomer(serverUrl: string, opts: ClientOptions & { localAddress?: string } = {}): Promise<RawCustomer> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/ws/customer`, opts);
  const messages: RawCustomer['messages'] = [];
  const decoder = new FrameDecoder();
  ws.on('message', (data: Buffer) => {
    for (const frame of decoder.push(new Uint8Array(data))) {
      if (frame.kind !== FrameKind.control) continue;
      const m = decodeJson(toCustomerSchema, frame.body);
      messages.push(m.ok ? m.value : { type: 'undecodable' });
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    send: (message) => ws.send(encodeFrame(FrameKind.control, encodeJson(message))),
    roundTrip: () => new Promise<void>((resolve) => (ws.once('pong', () => resolve()), ws.ping())),
  };
}

/** Registers and waits for the answer (`registered` or an error); the connection stays as the server left it. */
export async function registerRaw(c: RawCustomer, termsVersion: string): Promise<{ type: string; code?: string; retryAfterMs?: number }> {
  const before = c.messages.length;
  c.send({ type: 'register', termsVersion, language: 'de', capabilities: [] });
  await Promise.race([c.closed, new Promise<void>((resolve) => {
    const check = () => (c.messages.length > before ? resolve() : setTimeout(check, 5));
    check();
  })]);
  return c.messages[before] ?? { type: 'closed-without-answer' };
}
