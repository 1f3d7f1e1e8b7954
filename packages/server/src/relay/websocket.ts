import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import { getLogger } from '../logger.js';
import type { Broker, Technician } from '../rendezvous/broker.js';
import { ConnectionCounts, networkKey, originAllowed } from './admission.js';
import { CloseCode, WsEndpoint } from './endpoint.js';
import type { MetricsSink } from '../metrics/server-metrics.js';

export interface WebSocketDeps {
  broker: Broker;
  log: Logger;
  /** the client address, honouring TRUST_PROXY the same way as HTTP routes */
  clientIp(req: IncomingMessage): string;
  /** a single-use ticket from POST /api/auth/ws-ticket -> the signed-in technician */
  technicianForTicket(ticket: string): Promise<Technician | undefined>;
  /** open connections from one IPv4 address or one IPv6 /64 */
  maxConnectionsPerIp: number;
  /** open connections in all; more are accepted only to be closed with a plain reason */
  maxConnections: number;
  /** PUBLIC_URL: its origin may open customer connections (as may the host a request names, and no Origin) */
  publicUrl: string | undefined;
  /** ping interval; a connection that did not answer the previous ping is dropped (a dead NAT entry, a lost laptop) */
  keepaliveMs: number;
  /** counts refused tickets and connection-limit refusals (metrics/) */
  metrics?: Pick<MetricsSink, 'signInFailed' | 'refused'>;
  /** false while the node is drained (SIGTERM): upgrades are refused with 503 */
  accepting?: () => boolean;
}

/** WebSocket messages may carry part of a frame; this only bounds one message's size. */
const MAX_MESSAGE = 2 * 1024 * 1024;
export const SERVER_FULL = 'the server has too many connections; please try again in a minute';

/**
 * Accepts the two WebSocket endpoints on the HTTP server's port:
 *   /ws/customer                 anyone (the customer module)
 *   /ws/technician?ticket=...    a signed-in technician (ticket from the console's session)
 */
export function attachWebSockets(server: Server, deps: WebSocketDeps): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE, perMessageDeflate: false });
  const counts = new ConnectionCounts();
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
    // a drained node takes no new connection: the endpoint tries again (another node, behind a balancer)
    if (deps.accepting && !deps.accepting()) return refuse(socket, 503, 'Service Unavailable');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ip = deps.clientIp(req);
    const net = networkKey(ip);
    if (counts.of(net) >= deps.maxConnectionsPerIp) {
      deps.metrics?.refused('connections_per_address');
      return refuse(socket, 429, 'Too Many Requests');
    }
    let technician: Technician | undefined;
    if (url.pathname === '/ws/technician') {
      technician = await deps.technicianForTicket(url.searchParams.get('ticket') ?? '');
      if (!technician) {
        deps.metrics?.signInFailed('bad_ws_ticket');
        return refuse(socket, 401, 'Unauthorized');
      }
    } else if (url.pathname !== '/ws/customer') {
      return refuse(socket, 404, 'Not Found');
    } else if (!originAllowed(req.headers.origin, req.headers.host, deps.publicUrl)) {
      deps.log.info({ origin: req.headers.origin?.slice(0, 200) }, 'refused a customer connection from another web page');
      return refuse(socket, 403, 'Forbidden');
    }
    // counted from here, so that upgrades still in progress count against the caps too
    const release = counts.add(net);
    socket.once('close', release);
    if (counts.total > deps.maxConnections) {
      deps.metrics?.refused('connections');
      // accepted only to say why: a browser cannot read an HTTP status of a refused upgrade
      return wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.close(CloseCode.tryAgainLater, SERVER_FULL);
        setTimeout(() => ws.terminate(), 2000).unref();
      });
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      wss.emit('connection', ws, req);
      ws.on('close', release);
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
