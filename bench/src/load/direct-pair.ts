import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SecureSession, ServerConnection, openSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import type { SessionSecrets } from '@fernhilfe/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { nodeTransport } from '../client.js';
import type { StreamPair } from './paced-stream.js';

/**
 * The baseline without the relay: the same SecureSession and ServerConnection code on both ends,
 * but the technician's WebSocket goes straight to a WebSocket server in this thread that plays
 * the customer. Keys are random instead of coming from CPace (the handshake is not measured here).
 */
export class DirectPairs {
  private constructor(
    private readonly wss: WebSocketServer,
    private readonly url: string,
  ) {}

  static async listen(): Promise<DirectPairs> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 2 * 1024 * 1024 });
    await once(wss, 'listening');
    return new DirectPairs(wss, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  }

  async pair(): Promise<StreamPair> {
    const accepted = once(this.wss, 'connection') as Promise<[WebSocket]>;
    const techTransport = await nodeTransport(this.url);
    const [ws] = await accepted;
    const secrets = randomSecrets();
    const sender = await SecureSession.create(new ServerConnection(techTransport, 'technician'), 'technician', structuredClone(secrets));
    const receiver = await SecureSession.create(new ServerConnection(openSocketTransport(ws as unknown as WebSocketLike), 'customer'), 'customer', secrets);
    for (const s of [sender, receiver]) s.start(() => () => undefined);
    return {
      sender,
      receiver,
      close: async () => {
        techTransport.close(1000, 'done');
        ws.close(1000, 'done');
      },
    };
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function randomSecrets(): SessionSecrets {
  const r = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  return {
    t2c: { key: r(32), iv: r(12) },
    c2t: { key: r(32), iv: r(12) },
    confirmTechnician: r(32),
    confirmCustomer: r(32),
    channelId: r(16),
    resume: r(32),
    sas: '000 000',
  };
}
