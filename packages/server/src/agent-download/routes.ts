import type { FastifyInstance } from 'fastify';
import type { AgentDownloads } from './downloads.js';

/**
 * GET /api/agent/info (public key; every platform's build on offer with file name, size, SHA-256,
 * signer and release), and per platform its program (as an attachment) and its .sig:
 * /download/agent + /download/agent.sig (Linux, the addresses it always had),
 * /download/agent-win-x64 + /download/agent-win-x64.sig (Windows).
 * All public: the customer downloads before anyone signs in. Nothing is served that did not verify,
 * and a download whose bytes on disk changed since is cut off before its end (store.open).
 */
export function registerAgentDownloadRoutes(app: FastifyInstance, downloads: AgentDownloads): void {
  app.get('/api/agent/info', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return downloads.info();
  });

  const notOffered = { error: { code: 'not_available', message: 'No QuickSupport program for this platform is offered on this server.' } };
  for (const store of downloads.stores) {
    const { file, downloadUrl, signatureUrl } = store.platform;
    app.get(downloadUrl, async (_request, reply) => {
      const build = await store.current();
      if (!build) return reply.code(404).send(notOffered);
      return reply
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('content-length', String(build.size))
        .header('cache-control', 'no-cache')
        .header('x-content-sha256', build.sha256)
        .type('application/octet-stream')
        .send(store.open(build));
    });

    app.get(signatureUrl, async (_request, reply) => {
      const build = await store.current();
      if (!build) return reply.code(404).send(notOffered);
      return reply
        .header('content-disposition', `attachment; filename="${file}.sig"`)
        .header('cache-control', 'no-cache')
        .type('text/plain; charset=utf-8')
        .send(build.signatureText);
    });
  }
}
