import type { FastifyInstance } from 'fastify';
import { AGENT_FILE, type AgentDownloadStore } from './store.js';

/**
 * GET /api/agent/info (public key, file name, size, SHA-256, whether a download is offered),
 * GET /download/agent (the signed build, as an attachment) and GET /download/agent.sig.
 * All public: the customer downloads before anyone signs in. Nothing is served that did not verify,
 * and a download whose bytes on disk changed since is cut off before its end (store.open).
 */
export function registerAgentDownloadRoutes(app: FastifyInstance, store: AgentDownloadStore): void {
  app.get('/api/agent/info', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return store.info();
  });

  app.get('/download/agent', async (_request, reply) => {
    const build = await store.current();
    if (!build) return reply.code(404).send({ error: { code: 'not_available', message: 'No QuickSupport program is offered on this server.' } });
    return reply
      .header('content-disposition', `attachment; filename="${AGENT_FILE}"`)
      .header('content-length', String(build.size))
      .header('cache-control', 'no-cache')
      .header('x-content-sha256', build.sha256)
      .type('application/octet-stream')
      .send(store.open(build));
  });

  app.get('/download/agent.sig', async (_request, reply) => {
    const build = await store.current();
    if (!build) return reply.code(404).send({ error: { code: 'not_available', message: 'No QuickSupport program is offered on this server.' } });
    return reply
      .header('content-disposition', `attachment; filename="${AGENT_FILE}.sig"`)
      .header('cache-control', 'no-cache')
      .type('text/plain; charset=utf-8')
      .send(build.signatureText);
  });
}
