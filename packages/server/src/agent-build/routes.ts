import type { FastifyInstance } from 'fastify';
import type { AuthPreHandler } from '../auth/guards.js';
import type { ProgramBuilds } from './builds.js';

/** GET /api/admin/programs (admins): which QuickSupport programs are offered, how far their builds are, and the signing key. */
export function registerProgramRoutes(app: FastifyInstance, deps: { builds: ProgramBuilds; requireAdmin: AuthPreHandler }): void {
  app.get('/api/admin/programs', { preHandler: deps.requireAdmin }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return deps.builds.status();
  });
}
