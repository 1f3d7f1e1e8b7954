import { webSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import { WebSocket } from 'ws';

/** The session's transport over the `ws` package (Node 20 has no global WebSocket client). */
export const nodeTransport = webSocketTransport((url) => new WebSocket(url, { maxPayload: 4 * 1024 * 1024 }) as unknown as WebSocketLike);
