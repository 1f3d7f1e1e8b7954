import { webSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import { WebSocket } from 'ws';

/** The client's transport over the `ws` package (Node 20 has no global WebSocket), as the CLI's selftest uses it. */
export const nodeTransport = webSocketTransport((url) => new WebSocket(url) as unknown as WebSocketLike);
