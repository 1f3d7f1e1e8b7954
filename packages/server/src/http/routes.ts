import type { FastifyInstance } from 'fastify';
import type { Terms } from '../terms/terms.js';

/**
 * Public, read-only routes: health and the current terms. `/healthz` says only that the server
 * answers: counts of sessions or accounts are nobody's business on an open port.
 */
export function registerPublicRoutes(app: FastifyInstance, deps: { terms: () => Terms; ready?: () => boolean; recording?: 'off' | 'allowed' | 'required' }): void {
  app.get('/healthz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    // a drained node (SIGTERM) is not ready: load balancers send new connections elsewhere
    if (deps.ready && !deps.ready()) return reply.code(503).send({ status: 'draining' });
    return { status: 'ok' };
  });
  app.get('/api/terms', async (_req, reply) => {
    const t = deps.terms();
    reply.header('cache-control', 'no-store');
    // the recording policy goes with the terms, so the customer reads it before agreeing (docs/recording.md)
    const recording = deps.recording === 'allowed' || deps.recording === 'required' ? { recording: deps.recording } : {};
    return { version: t.version, text: { de: t.de, en: t.en }, ...recording };
  });
}
