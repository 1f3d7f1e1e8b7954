import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type MetricsConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Where /metrics is served (docs/metrics.md):
 *   METRICS_PORT set   -> on that port only (METRICS_HOST, default 127.0.0.1), with METRICS_TOKEN if set
 *   only METRICS_TOKEN -> on the public port, for `Authorization: Bearer <token>` only
 * Without either the server has no /metrics route (404). A web session never grants it.
 */
export interface MetricsEndpoint {
  /** http://host:port of the metrics port; undefined when /metrics is on the public port */
  url: string | undefined;
  close(): Promise<void>;
}

/** `Authorization: Bearer <token>` compared in constant time (hashes of equal length); the token is never logged. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

const UNAUTHORIZED = 'a bearer token is required (METRICS_TOKEN)\n';

export async function serveMetrics(app: FastifyInstance, config: MetricsConfig, metrics: ServerMetrics, log: Logger): Promise<MetricsEndpoint> {
  if (!config.listen) {
    const token = config.token!;
    app.get('/metrics', async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send(UNAUTHORIZED);
      }
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(await metrics.scrape());
    });
    return { url: undefined, close: () => Promise.resolve() };
  }
  const { port, host } = config.listen;
  const server = createServer((req, res) => void answer(req, res, config.token, metrics).catch((err: unknown) => {
    log.error({ err }, 'answering a metrics scrape failed');
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ConfigError('invalid', `METRICS_PORT: cannot listen on ${host}:${port} (${err.code ?? err.message})`, { cause: err })));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  log.info({ url }, 'metrics listening');
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, token: string | undefined, metrics: ServerMetrics): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics here\n');
    return;
  }
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).end(UNAUTHORIZED);
    return;
  }
  const body = await metrics.scrape();
  res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
}
