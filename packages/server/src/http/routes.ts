import type { FastifyInstance } from 'fastify';
import type { Terms } from '../terms/terms.js';

/** Public, read-only routes: health and the current terms. */
export function registerPublicRoutes(app: FastifyInstance, deps: { terms: () => Terms; health: () => object }): void {
  app.get('/healthz', async () => ({ status: 'ok', ...deps.health() }));
  app.get('/api/terms', async (_req, reply) => {
    const t = deps.terms();
    reply.header('cache-control', 'no-store');
    return { version: t.version, text: { de: t.de, en: t.en } };
  });
}
