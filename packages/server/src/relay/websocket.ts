import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import { getLogger } from '../logger.js';
import type { Broker, Technician } from '../rendezvous/broker.js';
import { WsEndpoint } from './endpoint.js';

export interface WebSocketDeps {
  broker: Broker;
  log: Logger;
  /** the client address, honouring TRUST_PROXY the same way as HTTP routes */
  clientIp(req: IncomingMessage): string;
  /** a single-use ticket from POST /api/auth/ws-ticket -> the signed-in technician */
  technicianForTicket(ticket: string): Promise<Technician | undefined>;
  maxConnectionsPerIp: number;
  /** ping interval; a connection that did not answer the previous ping is dropped (a dead NAT entry, a lost laptop) */
  keepaliveMs: number;
}

/** WebSocket messages may carry part of a frame; this only bounds one message's size. */
const MAX_MESSAGE = 2 * 1024 * 1024;

/**
 * Accepts the two WebSocket endpoints on the HTTP server's port:
 *   /ws/customer                 anyone (the customer module)
 *   /ws/technician?ticket=...    a signed-in technician (ticket from the console's session)
 */
export function attachWebSockets(server: Server, deps: WebSocketDeps): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE, perMessageDeflate: false });
  const perIp = new Map<string, number>();
  let nextConn = 0;

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void handle(req, socket, head).catch((err: unknown) => {
      deps.log.error({ err }, 'websocket upgrade failed');
      refuse(socket, 500, 'Internal Server Error');
    });
  };

  const handle = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ip = deps.clientIp(req);
    if ((perIp.get(ip) ?? 0) >= deps.maxConnectionsPerIp) return refuse(socket, 429, 'Too Many Requests');
    let technician: Technician | undefined;
    if (url.pathname === '/ws/technician') {
      technician = await deps.technicianForTicket(url.searchParams.get('ticket') ?? '');
      if (!technician) return refuse(socket, 401, 'Unauthorized');
    } else if (url.pathname !== '/ws/customer') {
      return refuse(socket, 404, 'Not Found');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      wss.emit('connection', ws, req);
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      ws.on('close', () => {
        const n = (perIp.get(ip) ?? 1) - 1;
        if (n <= 0) perIp.delete(ip);
        else perIp.set(ip, n);
      });
      const role = technician ? 'technician' : 'customer';
      const endpoint = new WsEndpoint(ws, ip, getLogger(deps.log, 'relay', { conn: ++nextConn, role }));
      if (technician) deps.broker.addTechnician(endpoint, technician);
      else deps.broker.addCustomer(endpoint);
    });
  };

  // WebSocket pings: browsers and `ws` answer them by themselves. A connection that stays silent for a
  // whole interval is terminated, so the broker sees the drop (and a session's grace period starts).
  const alive = new WeakSet<WebSocket>();
  wss.on('connection', (ws) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
  });
  const keepalive = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, deps.keepaliveMs);
  keepalive.unref();

  server.on('upgrade', onUpgrade);
  return {
    close() {
      clearInterval(keepalive);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
