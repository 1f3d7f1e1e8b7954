import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthPreHandler } from '../auth/guards.js';
import { brandingSchema } from '@fernhilfe/protocol';
import { describeIssues } from './branding.js';
import type { BrandingStore } from './store.js';

export interface BrandingRouteDeps {
  store: BrandingStore;
  /** From registerAuthRoutes: 401 without a session, 403 for a non-admin or a missing CSRF token. */
  requireAdmin: AuthPreHandler;
}

/** GET /api/branding (public, for both apps) and PUT /api/admin/branding (admins). */
export async function registerBrandingRoutes(app: FastifyInstance, deps: BrandingRouteDeps): Promise<void> {
  const { store, requireAdmin } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(handleError);

    scope.get('/api/branding', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return store.get();
    });

    scope.put('/api/admin/branding', { preHandler: requireAdmin }, async (request, reply) => {
      const parsed = brandingSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: { code: 'invalid', ...describeIssues(parsed.error) } });
      const saved = await store.set(parsed.data, request.webSession?.user.id ?? '');
      reply.header('cache-control', 'no-store');
      return saved;
    });
    done();
  });
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx: malformed JSON, wrong content type, body too large.
    return reply.code(status).send({ error: { code: 'invalid', message: `body: ${error.message}`, field: 'body' } });
  }
  request.log.error({ err: error }, 'branding route failed');
  return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server. Please try again.' } });
}
